using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

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
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one purge: batches until nothing old is left (or <see cref="SqliteWebhookStoreOptions.RetentionMaxPerRun"/>),
    /// each its own short write transaction, other writes taking the writer between them.
    /// </summary>
    internal async Task<long> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.SucceededRetention is not { } retention)
        {
            return 0;
        }

        var before = time.GetUtcNow() - retention;
        var total = await RetentionRun.PurgeSucceededAsync(store, before, o.RetentionBatchSize, o.RetentionMaxPerRun, o.RetentionBatchPause, time, cancellationToken).ConfigureAwait(false);

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
