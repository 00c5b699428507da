namespace Webhooks.Receiver.Idempotency;

/// <summary>The answer of <see cref="IWebhookIdempotencyStore.TryBeginAsync"/>.</summary>
public enum WebhookIdempotencyStatus
{
    /// <summary>The caller claimed the message and must complete or release it.</summary>
    Acquired = 0,

    /// <summary>Another request is handling the same message right now.</summary>
    InProgress,

    /// <summary>The message was handled already.</summary>
    Completed,
}
