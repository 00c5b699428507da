namespace Webhooks.Sender.Storage;

/// <summary>
/// Retention for a store: purges finished history so the store does not grow without bound. Succeeded messages and
/// their deliveries and attempts are purged after an age; failed deliveries stay until they are recovered or purged
/// explicitly.
/// </summary>
public interface IWebhookStoreRetention
{
    /// <summary>
    /// Deletes, in bounded batches, messages created before <paramref name="succeededBefore"/> whose deliveries all
    /// <see cref="WebhookDeliveryStatus.Succeeded"/> (or that have no delivery), together with their deliveries and
    /// attempts. A message with a pending, in-flight or failed delivery is kept whole.
    /// </summary>
    /// <param name="succeededBefore">The age limit: only messages created before it are purged.</param>
    /// <param name="maxMessages">At most this many messages are purged in one call.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>How many messages were purged.</returns>
    Task<int> PurgeSucceededAsync(DateTimeOffset succeededBefore, int maxMessages, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes, in bounded batches, failed deliveries (and their attempts) that completed before
    /// <paramref name="failedBefore"/>, then any message left without deliveries. An explicit operator action.
    /// </summary>
    /// <param name="failedBefore">Only deliveries that failed before this time are purged.</param>
    /// <param name="subscriptionId">Limit the purge to one subscription, or <see langword="null"/> for all.</param>
    /// <param name="maxDeliveries">At most this many deliveries are purged in one call.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>How many deliveries were purged.</returns>
    Task<int> PurgeFailedAsync(DateTimeOffset failedBefore, string? subscriptionId, int maxDeliveries, CancellationToken cancellationToken = default);
}
