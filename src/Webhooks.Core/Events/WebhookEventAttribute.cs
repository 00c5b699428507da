namespace Webhooks.Core;

/// <summary>Names the webhook event type of a payload type: <c>[WebhookEvent("order.created")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class WebhookEventAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="eventType">The event type, for example <c>order.created</c>.</param>
    public WebhookEventAttribute(string eventType) => EventType = eventType;

    /// <summary>Gets the event type.</summary>
    public string EventType { get; }
}
