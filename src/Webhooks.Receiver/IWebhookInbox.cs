namespace Webhooks.Receiver;

/// <summary>
/// The inbox of the receivers that use one (<c>UseInbox</c>): list what is pending or dead, replay, purge. Resolve it
/// from DI.
/// </summary>
public interface IWebhookInbox
{
    /// <summary>Lists items, oldest first, one page at a time.</summary>
    /// <param name="query">What to list.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A page.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The query's limit is outside 1 to <see cref="WebhookInboxQuery.MaxLimit"/>.</exception>
    ValueTask<WebhookInboxPage> ListAsync(WebhookInboxQuery query, CancellationToken cancellationToken = default);

    /// <summary>Gets one item.</summary>
    /// <param name="id">The item's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The item, or <see langword="null"/> when there is none.</returns>
    ValueTask<WebhookInboxItem?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Runs a dead or processed item again: it becomes pending, due now, with its attempts reset.</summary>
    /// <param name="id">The item's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the item was replayed; <see langword="false"/> when it does not exist or is pending or processing.</returns>
    ValueTask<bool> ReplayAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Runs again every dead item received since a time.</summary>
    /// <param name="since">The earliest receive time.</param>
    /// <param name="receiverName">The receiver, or <see langword="null"/> for every receiver.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many items were replayed.</returns>
    ValueTask<long> ReplayDeadAsync(DateTimeOffset since, string? receiverName = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes processed or dead items completed before a time (pending and processing items are never purged).</summary>
    /// <param name="state"><see cref="WebhookInboxState.Processed"/> or <see cref="WebhookInboxState.Dead"/>.</param>
    /// <param name="before">The completion time limit.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many items were deleted.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="state"/> is pending or processing.</exception>
    ValueTask<long> PurgeAsync(WebhookInboxState state, DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>Counts the backlog.</summary>
    /// <param name="receiverName">The receiver, or <see langword="null"/> for every receiver.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The statistics.</returns>
    ValueTask<WebhookInboxStatistics> GetStatisticsAsync(string? receiverName = null, CancellationToken cancellationToken = default);
}
