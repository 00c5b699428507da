namespace Webhooks.Sender.Storage;

/// <summary>
/// Optional: a store whose <see cref="IWebhookStore.EnqueueManyAsync"/> writes several messages in one transaction
/// implements this so that the publisher combines concurrent publishes into one call (group commit).
/// </summary>
/// <remarks>
/// A publish that runs alone is written at once, with no timer in its path; publishes that arrive while a write is
/// under way are written together by the next one.
/// </remarks>
public interface IWebhookStoreGroupEnqueue
{
    /// <summary>
    /// Gets whether an enqueue from the current execution context may be combined with other callers' enqueues.
    /// A store returns <see langword="false"/> when the caller has asked for its own transaction (for example a publish
    /// inside the application's database transaction), so that nobody else's message joins it.
    /// </summary>
    bool CanGroupEnqueue { get; }
}
