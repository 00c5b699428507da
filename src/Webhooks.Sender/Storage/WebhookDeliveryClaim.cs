namespace Webhooks.Sender.Storage;

/// <summary>A delivery claimed under a lease, with its message.</summary>
/// <param name="Delivery">The delivery, <see cref="WebhookDeliveryStatus.InFlight"/> with a fresh <see cref="WebhookDelivery.LeaseId"/>.</param>
/// <param name="Message">The delivery's message.</param>
public sealed record WebhookDeliveryClaim(WebhookDelivery Delivery, WebhookMessage Message);
