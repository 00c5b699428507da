namespace Webhooks.Sender.Storage;

/// <summary>What <see cref="IWebhookStore.CompleteAsync"/> did.</summary>
public enum WebhookCompletionResult
{
    /// <summary>The attempt was logged and the delivery updated.</summary>
    Completed = 0,

    /// <summary>The same lease had already completed the delivery; nothing changed (completing twice is idempotent).</summary>
    AlreadyCompleted = 1,

    /// <summary>The delivery was claimed again under a newer lease (or redelivered); nothing changed.</summary>
    LeaseLost = 2,

    /// <summary>No such delivery.</summary>
    NotFound = 3,
}
