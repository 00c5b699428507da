namespace Webhooks.Sender;

/// <summary>
/// The event types the app registered with <see cref="WebhookSenderBuilderExtensions.AddEventType{T}(IWebhookSenderBuilder, string?)"/>
/// and its overloads: what a customer can subscribe to, with the payload's JSON metadata for a schema. Resolve it from
/// the container; it is empty when the app registered none.
/// </summary>
public interface IWebhookEventCatalog
{
    /// <summary>Gets the registered event types, ordered by name (ordinal).</summary>
    IReadOnlyList<WebhookEventDefinition> EventTypes { get; }

    /// <summary>Finds a registered event type by its exact name.</summary>
    /// <param name="eventType">The event type, for example <c>order.created</c>.</param>
    /// <returns>The definition, or <see langword="null"/> when the name is not registered.</returns>
    WebhookEventDefinition? Find(string eventType);
}
