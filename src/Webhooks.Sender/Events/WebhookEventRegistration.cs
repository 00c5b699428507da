using System.Text.Json.Serialization.Metadata;

namespace Webhooks.Sender.Events;

/// <summary>One <c>AddEventType</c> call, kept in the container until the catalog is built.</summary>
/// <param name="EventType">The event type.</param>
/// <param name="PayloadType">The payload type, or null.</param>
/// <param name="Description">The description, or null.</param>
/// <param name="TypeInfo">Creates the payload's JSON metadata from the container, or null.</param>
internal sealed record WebhookEventRegistration(string EventType, Type? PayloadType, string? Description, Func<IServiceProvider, JsonTypeInfo>? TypeInfo);
