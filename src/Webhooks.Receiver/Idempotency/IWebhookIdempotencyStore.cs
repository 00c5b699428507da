namespace Webhooks.Receiver.Idempotency;

/// <summary>
/// Remembers which messages were handled, so a replay or a retry of a handled message is not handled again.
/// A message is claimed before its handlers run, completed after they succeed and released when they fail.
/// </summary>
/// <remarks>Keys are opaque strings made by the receiver (the receiver's name and the message id).</remarks>
public interface IWebhookIdempotencyStore
{
    /// <summary>Claims a message for handling, unless it is already claimed or handled.</summary>
    /// <param name="key">The message's key.</param>
    /// <param name="lease">How long the claim holds if it is never completed or released.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="WebhookIdempotencyStatus.Acquired"/> when the caller now owns the message; otherwise why not.</returns>
    ValueTask<WebhookIdempotencyStatus> TryBeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks a claimed message as handled and remembers it.</summary>
    /// <param name="key">The message's key.</param>
    /// <param name="retention">How long to remember it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the mark is stored.</returns>
    ValueTask CompleteAsync(string key, TimeSpan retention, CancellationToken cancellationToken);

    /// <summary>Drops a claim (the handlers failed), so the sender's retry is handled.</summary>
    /// <param name="key">The message's key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the claim is dropped.</returns>
    ValueTask ReleaseAsync(string key, CancellationToken cancellationToken);
}
