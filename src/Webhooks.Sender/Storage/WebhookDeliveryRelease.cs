namespace Webhooks.Sender.Storage;

/// <summary>A claimed delivery to hand back without an attempt, for <see cref="IWebhookStore.ReleaseManyAsync"/>.</summary>
/// <param name="DeliveryId">The delivery id.</param>
/// <param name="LeaseId">The lease id it was claimed with.</param>
/// <param name="NextAttemptAt">When it is due again, or <see langword="null"/> to keep its due time.</param>
public readonly record struct WebhookDeliveryRelease(string DeliveryId, string LeaseId, DateTimeOffset? NextAttemptAt = null);
