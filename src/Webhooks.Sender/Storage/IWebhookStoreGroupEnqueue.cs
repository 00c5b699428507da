namespace Webhooks.Sender.Storage;

/// <summary>
/// Optional: a store whose <see cref="IWebhookStore.EnqueueManyAsync"/> writes several messages in one transaction
/// implements this so that the publisher combines concurrent publishes into one call (group commit).
/// </summary>
/// <remarks>
/// <para>
/// A publish that runs alone is written at once with <see cref="IWebhookStore.EnqueueAsync"/>, on the caller's own
/// flow, with no timer in its path; publishes that arrive while a write is under way are written together by the next
/// one, with <see cref="IWebhookStore.EnqueueManyAsync"/> (at most 256 messages a call), from a thread-pool flow that
/// carries no caller's execution context. When that call throws, its messages are written again one by one with
/// <see cref="IWebhookStore.EnqueueAsync"/>, so only the caller of a message that fails on its own sees the exception.
/// </para>
/// <para>
/// The publisher reads <see cref="CanGroupEnqueue"/> in the caller's execution context, for every publish. A store whose
/// enqueue depends on ambient state of the caller (an <see cref="AsyncLocal{T}"/> such as a transaction the application
/// opened, which the message must join and commit or roll back with) must return <see langword="false"/> while that
/// state is set: the publish is then written on its own, in the caller's flow, and no other caller's message is carried
/// by that transaction.
/// </para>
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
