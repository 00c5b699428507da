using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

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
    // A purge run stops after this many full batches and continues at the next interval.
    private const int MaxBatchesPerRun = 100;

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
        var purge = o.SucceededRetention is { } retention ? PurgeLoopAsync(retention, o.RetentionInterval, o.RetentionBatchSize, stoppingToken) : Task.CompletedTask;
        return Task.WhenAll(listen, purge);
    }

    private async Task PurgeLoopAsync(TimeSpan retention, TimeSpan interval, int batch, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var before = time.GetUtcNow() - retention;
                var total = 0;
                for (var i = 0; i < MaxBatchesPerRun; i++)
                {
                    var purged = await store.PurgeSucceededAsync(before, batch, stoppingToken).ConfigureAwait(false);
                    total += purged;
                    if (purged < batch)
                    {
                        break;
                    }
                }

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
