using System.Text.Json.Serialization.Metadata;

namespace Webhooks.Sender;

/// <summary>One entry of the <see cref="IWebhookEventCatalog"/>: an event type, what it means and the shape of its payload.</summary>
public sealed class WebhookEventDefinition
{
    /// <summary>Initializes a new instance of the <see cref="WebhookEventDefinition"/> class.</summary>
    /// <param name="eventType">The event type, a valid name such as <c>order.created</c>.</param>
    /// <param name="description">What the event means, for the people who subscribe to it, or <see langword="null"/>.</param>
    /// <param name="payloadTypeInfo">The JSON metadata of the payload (the envelope's <c>data</c>), or <see langword="null"/> when the payload has no declared .NET type.</param>
    /// <exception cref="ArgumentException"><paramref name="eventType"/> is not a valid event type; the message quotes it.</exception>
    public WebhookEventDefinition(string eventType, string? description = null, JsonTypeInfo? payloadTypeInfo = null)
    {
        Core.Events.WebhookEventType.ThrowIfInvalid(eventType, nameof(eventType));
        EventType = eventType;
        Description = string.IsNullOrWhiteSpace(description) ? null : description;
        PayloadTypeInfo = payloadTypeInfo;
    }

    /// <summary>Gets the event type, for example <c>order.created</c>.</summary>
    public string EventType { get; }

    /// <summary>Gets what the event means, or <see langword="null"/>.</summary>
    public string? Description { get; }

    /// <summary>Gets the .NET type of the payload, or <see langword="null"/> when it has none.</summary>
    public Type? PayloadType => PayloadTypeInfo?.Type;

    /// <summary>
    /// Gets the JSON metadata the payload is serialized with (the sender's <see cref="WebhookSenderOptions.SerializerOptions"/>,
    /// or the source-generated metadata given at registration), from which a JSON Schema can be produced; <see langword="null"/>
    /// when the payload has no declared .NET type.
    /// </summary>
    public JsonTypeInfo? PayloadTypeInfo { get; }

    /// <inheritdoc />
    public override string ToString() => EventType;
}
