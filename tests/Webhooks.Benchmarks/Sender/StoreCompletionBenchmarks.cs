using BenchmarkDotNet.Attributes;
using Npgsql;
using Webhooks.Core;
using Webhooks.Sender.PostgreSql;
using Webhooks.Sender.Sqlite;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Benchmarks.Sender;

/// <summary>
/// Writing the outcomes of 32 claimed deliveries to a durable store: 32 <see cref="IWebhookStore.CompleteAsync"/>
/// calls (a transaction or round trip each) against one <see cref="IWebhookStore.CompleteManyAsync"/> of 32. Every
/// invocation completes its own 32 deliveries, enqueued and claimed before the iteration. SQLite runs on a file in
/// the temp directory; PostgreSQL on the server named by <c>WEBHOOKS_TEST_POSTGRES</c> (<c>source .ci/postgres.sh</c>
/// starts a loopback one), in a schema of its own that is dropped afterwards.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(InvocationsPerIteration)]
public class StoreCompletionBenchmarks
{
    private const int InvocationsPerIteration = 16;
    private const int BatchSize = 32;

    private readonly Queue<WebhookDeliveryCompletion[]> _batches = new();
    private IWebhookStore _store = null!;
    private string? _directory;
    private NpgsqlDataSource? _dataSource;
    private string? _schema;

    [Params("Sqlite", "PostgreSql")]
    public string Store { get; set; } = "Sqlite";

    [GlobalSetup]
    public void Setup()
    {
        if (Store == "Sqlite")
        {
            _directory = Path.Combine(Path.GetTempPath(), "webhooks-bench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_directory);
            _store = new SqliteWebhookStore(new SqliteWebhookStoreOptions { ConnectionString = $"Data Source={Path.Combine(_directory, "webhooks.db")}" });
        }
        else
        {
            var connectionString = Environment.GetEnvironmentVariable("WEBHOOKS_TEST_POSTGRES")
                ?? throw new InvalidOperationException("Set WEBHOOKS_TEST_POSTGRES to a PostgreSQL connection string (source .ci/postgres.sh starts a loopback server).");
            _dataSource = NpgsqlDataSource.Create(connectionString);
            _schema = "bench_" + Guid.NewGuid().ToString("N")[..16];
            _store = new PostgreSqlWebhookStore(_dataSource, new PostgreSqlWebhookStoreOptions { Schema = _schema });
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_store is SqliteWebhookStore sqlite)
        {
            sqlite.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory!, recursive: true);
        }

        if (_dataSource is not null)
        {
            using (var drop = _dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE"))
            {
                drop.ExecuteNonQuery();
            }

            _dataSource.Dispose();
        }
    }

    [IterationSetup]
    public void ClaimBatches() => ClaimBatchesAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public async Task<int> CompleteOneByOne()
    {
        var completed = 0;
        foreach (var completion in _batches.Dequeue())
        {
            completed += await _store.CompleteAsync(completion) == WebhookCompletionResult.Completed ? 1 : 0;
        }

        return completed;
    }

    [Benchmark]
    public async Task<int> CompleteMany()
    {
        var completed = 0;
        foreach (var result in await _store.CompleteManyAsync(_batches.Dequeue()))
        {
            completed += result == WebhookCompletionResult.Completed ? 1 : 0;
        }

        return completed;
    }

    private async Task ClaimBatchesAsync()
    {
        _batches.Clear();
        var now = DateTimeOffset.UtcNow;
        for (var b = 0; b < InvocationsPerIteration; b++)
        {
            var message = new WebhookMessage
            {
                Id = WebhookId.New(WebhookId.MessagePrefix),
                EventType = "order.created",
                Payload = "{\"type\":\"order.created\",\"data\":{\"id\":42}}"u8.ToArray(),
                CreatedAt = now,
            };
            var deliveries = new WebhookDelivery[BatchSize];
            for (var i = 0; i < BatchSize; i++)
            {
                deliveries[i] = new WebhookDelivery
                {
                    Id = WebhookId.New(WebhookId.DeliveryPrefix),
                    MessageId = message.Id,
                    SubscriptionId = "sub_" + i,
                    EventType = message.EventType,
                    Status = WebhookDeliveryStatus.Pending,
                    NextAttemptAt = now,
                    CreatedAt = now,
                };
            }

            await _store.EnqueueAsync(message, deliveries);
            var claims = await _store.ClaimAsync(new WebhookClaimRequest { LeaseOwner = "bench", MaxCount = BatchSize, LeaseDuration = TimeSpan.FromMinutes(5) });
            var batch = new WebhookDeliveryCompletion[claims.Count];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = Success(claims[i], now);
            }

            _batches.Enqueue(batch);
        }
    }

    private static WebhookDeliveryCompletion Success(WebhookDeliveryClaim claim, DateTimeOffset now) => new()
    {
        DeliveryId = claim.Delivery.Id,
        LeaseId = claim.Delivery.LeaseId!,
        Status = WebhookDeliveryStatus.Succeeded,
        Attempt = new WebhookAttempt
        {
            Id = WebhookId.New(WebhookId.AttemptPrefix),
            DeliveryId = claim.Delivery.Id,
            MessageId = claim.Message.Id,
            SubscriptionId = claim.Delivery.SubscriptionId,
            AttemptNumber = 1,
            Url = "http://127.0.0.1:9/hooks",
            StartedAt = now,
            Duration = TimeSpan.FromMilliseconds(3),
            Succeeded = true,
            StatusCode = 204,
            ResponseHeaders = new Dictionary<string, string> { ["Content-Length"] = "0" },
        },
    };
}
