namespace Webhooks.Sender.Storage;

/// <summary>What <see cref="IWebhookStore.EnqueueAsync"/> did.</summary>
/// <param name="MessageId">The stored message id: the new one, or the earlier message's id for a duplicate.</param>
/// <param name="Duplicate"><see langword="true"/> when a message with the same tenant and idempotency key existed; nothing was inserted.</param>
public readonly record struct WebhookEnqueueResult(string MessageId, bool Duplicate);
