namespace Webhooks.Sender.Storage;

/// <summary>
/// One retention run of a durable store: purges succeeded history in batches until nothing eligible is left (or the
/// run's limit), each batch its own short transaction, with a pause between batches so that claims and completions
/// go on while a large backlog of history is purged.
/// </summary>
/// <remarks>Linked into the SQL stores' assemblies (one loop for both).</remarks>
internal static class RetentionRun
{
    /// <summary>Purges messages that succeeded before <paramref name="before"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="before">The age limit.</param>
    /// <param name="batchSize">The most messages one batch deletes.</param>
    /// <param name="maxPerRun">The most messages the run deletes, or <see langword="null"/> for no limit.</param>
    /// <param name="pause">The pause between batches (a yield when zero).</param>
    /// <param name="time">The clock of the pause.</param>
    /// <param name="cancellationToken">Stops the run between batches.</param>
    /// <returns>How many messages were purged.</returns>
    public static async Task<long> PurgeSucceededAsync(
        IWebhookStoreRetention store, DateTimeOffset before, int batchSize, int? maxPerRun, TimeSpan pause, TimeProvider time, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var limit = maxPerRun is { } max ? (int)Math.Min(batchSize, max - total) : batchSize;
            if (limit <= 0)
            {
                return total;
            }

            var purged = await store.PurgeSucceededAsync(before, limit, cancellationToken).ConfigureAwait(false);
            total += purged;
            if (purged < limit)
            {
                return total;
            }

            // Let waiting writes (claims, completions: the SQLite store has one writer) in before the next batch.
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Yield();
            }
        }
    }
}
