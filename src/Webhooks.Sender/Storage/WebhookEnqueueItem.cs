namespace Webhooks.Sender.Storage;

/// <summary>A message with its deliveries, for <see cref="IWebhookStore.EnqueueManyAsync"/>.</summary>
/// <param name="Message">The message.</param>
/// <param name="Deliveries">Its deliveries (possibly none), <see cref="WebhookDeliveryStatus.Pending"/>.</param>
public readonly record struct WebhookEnqueueItem(WebhookMessage Message, IReadOnlyList<WebhookDelivery> Deliveries);
