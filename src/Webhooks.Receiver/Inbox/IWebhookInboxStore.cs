namespace Webhooks.Receiver.Inbox;

/// <summary>
/// Where an inbox keeps accepted webhooks: in memory (tests and development), SQLite or PostgreSQL. Each operation is
/// one statement or one short transaction; (receiver name, message id) is unique; a claim is exclusive until its lease
/// runs out; completing or failing is guarded by the claim's lease id, so a processor whose lease ran out cannot
/// overwrite a newer outcome. The shared conformance tests say what every store must do.
/// </summary>
public interface IWebhookInboxStore
{
    /// <summary>Stores an entry as a pending item due now, unless its (receiver, message id) is stored already; durable when it returns.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it was added or is a duplicate.</returns>
    ValueTask<WebhookInboxAddResult> AddAsync(WebhookInboxEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="maxItems"/> of one receiver's items that are due: pending with a next attempt time
    /// at or before <paramref name="now"/>, or processing with a lease that ran out. Each becomes processing under
    /// <paramref name="leaseId"/> until <paramref name="now"/> + <paramref name="lease"/>, its attempts counted up by one.
    /// Oldest due first.
    /// </summary>
    /// <param name="receiverName">The receiver.</param>
    /// <param name="leaseId">A new id for this claim.</param>
    /// <param name="maxItems">The most items to claim.</param>
    /// <param name="now">The current time.</param>
    /// <param name="lease">The lease duration.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The claimed items, as they are after the claim.</returns>
    ValueTask<IReadOnlyList<WebhookInboxItem>> ClaimAsync(string receiverName, string leaseId, int maxItems, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks a claimed item processed, if it is still processing under <paramref name="leaseId"/>.</summary>
    /// <param name="id">The item.</param>
    /// <param name="leaseId">The claim's lease id.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="false"/> when the lease was lost.</returns>
    ValueTask<bool> CompleteAsync(long id, string leaseId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt of a claimed item, if it is still processing under <paramref name="leaseId"/>.</summary>
    /// <param name="id">The item.</param>
    /// <param name="leaseId">The claim's lease id.</param>
    /// <param name="error">What failed (bounded text, no secrets).</param>
    /// <param name="nextAttemptAt">When to try again, or <see langword="null"/> to mark the item dead.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="false"/> when the lease was lost.</returns>
    ValueTask<bool> FailAsync(long id, string leaseId, string error, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Lists items, oldest first, after <see cref="WebhookInboxQuery.After"/>.</summary>
    /// <param name="query">The query (its limit already checked).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The page.</returns>
    ValueTask<WebhookInboxPage> ListAsync(WebhookInboxQuery query, CancellationToken cancellationToken);

    /// <summary>Gets one item.</summary>
    /// <param name="id">The item.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The item, or <see langword="null"/>.</returns>
    ValueTask<WebhookInboxItem?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Makes a processed or dead item pending again, due at <paramref name="now"/>, with no attempts.</summary>
    /// <param name="id">The item.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="false"/> when the item does not exist or is pending or processing.</returns>
    ValueTask<bool> ReplayAsync(long id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Makes every dead item received at or after <paramref name="since"/> pending again, due at <paramref name="now"/>.</summary>
    /// <param name="since">The earliest receive time.</param>
    /// <param name="receiverName">The receiver, or <see langword="null"/> for all.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many items were replayed.</returns>
    ValueTask<long> ReplayDeadAsync(DateTimeOffset since, string? receiverName, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="maxItems"/> processed or dead items completed before <paramref name="before"/>, oldest first.</summary>
    /// <param name="state">Processed or dead.</param>
    /// <param name="before">The completion time limit.</param>
    /// <param name="receiverName">The receiver, or <see langword="null"/> for all.</param>
    /// <param name="maxItems">The batch size.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many items were deleted (fewer than <paramref name="maxItems"/> when none are left).</returns>
    ValueTask<int> PurgeAsync(WebhookInboxState state, DateTimeOffset before, string? receiverName, int maxItems, CancellationToken cancellationToken);

    /// <summary>Counts pending (and processing) and dead items, and finds the oldest pending one.</summary>
    /// <param name="receiverName">The receiver, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The statistics.</returns>
    ValueTask<WebhookInboxStatistics> GetStatisticsAsync(string? receiverName, CancellationToken cancellationToken);
}
