using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql.Internal;

/// <summary>
/// Runs beside the dispatcher: creates or checks the schema at start (so a bad database fails start-up), then listens
/// for notifications from other instances and purges succeeded history on a timer.
/// </summary>
internal sealed class PostgreSqlWebhookStoreService(
    PostgreSqlWebhookStore store,
    IOptions<PostgreSqlWebhookStoreOptions> options,
    TimeProvider time,
    ILogger<PostgreSqlWebhookStoreService>? logger = null) : BackgroundService
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var listen = o.ListenForNotifications ? store.ListenAsync(stoppingToken) : Task.CompletedTask;
        var purge = o.SucceededRetention is { } retention ? PurgeLoopAsync(retention, o, stoppingToken) : Task.CompletedTask;
        return Task.WhenAll(listen, purge);
    }

    /// <summary>
    /// Purges every <see cref="PostgreSqlWebhookStoreOptions.RetentionInterval"/>: batches until nothing eligible is left
    /// (or <see cref="PostgreSqlWebhookStoreOptions.RetentionMaxPerRun"/>), each its own short statement.
    /// </summary>
    private async Task PurgeLoopAsync(TimeSpan retention, PostgreSqlWebhookStoreOptions o, CancellationToken stoppingToken)
    {
        var interval = o.RetentionInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var before = time.GetUtcNow() - retention;
                var total = await RetentionRun.PurgeSucceededAsync(store, before, o.RetentionBatchSize, o.RetentionMaxPerRun, o.RetentionBatchPause, time, stoppingToken).ConfigureAwait(false);
                if (total > 0)
                {
                    Log.Purged(_logger, total, before);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.PurgeFailed(_logger, ex, interval);
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
