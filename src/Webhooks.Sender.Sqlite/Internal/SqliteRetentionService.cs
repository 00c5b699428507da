using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Sender.Sqlite.Internal;

/// <summary>
/// Opens the store at start (so a bad file stops the app at once) and purges succeeded messages older than
/// <see cref="SqliteWebhookStoreOptions.SucceededRetention"/> every <see cref="SqliteWebhookStoreOptions.RetentionInterval"/>.
/// </summary>
internal sealed class SqliteRetentionService(
    SqliteWebhookStore store,
    IOptions<SqliteWebhookStoreOptions> options,
    TimeProvider time,
    ILogger<SqliteRetentionService> logger) : BackgroundService
{
    // One run never takes more than this many batches, so a huge first purge cannot monopolize the writer.
    private const int MaxBatchesPerRun = 100;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one purge: batches until nothing old is left (or the per-run cap).</summary>
    internal async Task<int> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.SucceededRetention is not { } retention)
        {
            return 0;
        }

        var before = time.GetUtcNow() - retention;
        var total = 0;
        for (var batch = 0; batch < MaxBatchesPerRun; batch++)
        {
            var purged = await store.PurgeSucceededAsync(before, o.RetentionBatchSize, cancellationToken).ConfigureAwait(false);
            total += purged;
            if (purged < o.RetentionBatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            Log.PurgedSucceeded(logger, total, before);
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.SucceededRetention is null)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var interval = options.Value.RetentionInterval;
            try
            {
                await PurgeOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PurgeFailed(logger, ex, interval);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
