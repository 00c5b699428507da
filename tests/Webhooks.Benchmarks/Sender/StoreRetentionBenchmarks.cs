using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Benchmarks.Sender;

/// <summary>
/// Retention capacity: one purge run over <see cref="Messages"/> succeeded messages (each with one delivery and one
/// attempt carrying headers and an excerpt), in batches of <see cref="BatchSize"/> until nothing eligible is left, as
/// the stores' retention services run it. Messages per hour purgeable = Messages / mean time x 3600. The history is
/// written with SQL before each iteration. The stores are <see cref="BenchmarkStore"/>s.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
[InvocationCount(1)]
public class StoreRetentionBenchmarks
{
    private const int Messages = 10_000;
    private const int BatchSize = 500;

    private BenchmarkStore _benchmarkStore = null!;
    private IWebhookStoreRetention _store = null!;
    private int _iteration;

    [Params("Sqlite", "PostgreSql")]
    public string Store { get; set; } = "Sqlite";

    [GlobalSetup]
    public void Setup()
    {
        _benchmarkStore = new BenchmarkStore(Store);
        _store = (IWebhookStoreRetention)_benchmarkStore.Store;

        // The schema exists before the first fill.
        _benchmarkStore.Store.GetNextDueTimeAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _benchmarkStore.Dispose();

    [IterationSetup]
    public void WriteHistory()
    {
        var prefix = "i" + _iteration++ + "_";
        var created = DateTimeOffset.UtcNow.AddDays(-30);
        if (_benchmarkStore.SqliteConnectionString is not null)
        {
            using var connection = new SqliteConnection(_benchmarkStore.SqliteConnectionString);
            connection.Open();
            using var fill = connection.CreateCommand();
            fill.CommandText = """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count)
                INSERT INTO messages (id, event_type, payload, created_at) SELECT $p || 'msg_' || i, 'order.created', randomblob(300), $at + i FROM n;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count)
                INSERT INTO deliveries (id, message_id, subscription_id, event_type, status, attempt_count, next_attempt_at, last_attempt_at, last_status_code, created_at, completed_at)
                SELECT $p || 'dlv_' || i, $p || 'msg_' || i, 'sub_' || (i % 20), 'order.created', 2, 1, $at, $at, 204, $at, $at FROM n;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count)
                INSERT INTO attempts (id, delivery_id, message_id, subscription_id, attempt_number, url, started_at, duration_us, succeeded, error, status_code, response_headers, response_excerpt)
                SELECT $p || 'atm_' || i, $p || 'dlv_' || i, $p || 'msg_' || i, 'sub_' || (i % 20), 1, 'https://example.com/hooks', $at, 3000, 1, 0, 204,
                       '{"Content-Type":"text/plain","Date":"Mon, 01 Jan 2026 00:00:00 GMT"}', 'ok' FROM n;
                """;
            fill.Parameters.AddWithValue("$count", Messages);
            fill.Parameters.AddWithValue("$p", prefix);
            fill.Parameters.AddWithValue("$at", created.ToUnixTimeMilliseconds());
            fill.ExecuteNonQuery();
        }
        else
        {
            var s = $"\"{_benchmarkStore.Schema}\"";
            using var fill = _benchmarkStore.DataSource!.CreateCommand($$"""
                INSERT INTO {{s}}.messages (id, event_type, payload, created_at)
                SELECT @p || 'msg_' || g, 'order.created', decode(repeat('7b', 300), 'hex'), @at + make_interval(secs => g) FROM generate_series(1, @count) g;
                INSERT INTO {{s}}.deliveries (id, message_id, subscription_id, event_type, status, attempt_count, next_attempt_at, last_attempt_at, last_status_code, created_at, completed_at)
                SELECT @p || 'dlv_' || g, @p || 'msg_' || g, 'sub_' || (g % 20), 'order.created', 2, 1, @at, @at, 204, @at, @at FROM generate_series(1, @count) g;
                INSERT INTO {{s}}.attempts (id, delivery_id, message_id, subscription_id, attempt_number, url, started_at, duration, succeeded, error, status_code, response_headers, response_excerpt)
                SELECT @p || 'atm_' || g, @p || 'dlv_' || g, @p || 'msg_' || g, 'sub_' || (g % 20), 1, 'https://example.com/hooks', @at, interval '3 ms', true, 0, 204,
                       '{"Content-Type":"text/plain","Date":"Mon, 01 Jan 2026 00:00:00 GMT"}'::jsonb, 'ok' FROM generate_series(1, @count) g;
                ANALYZE {{s}}.messages;
                ANALYZE {{s}}.deliveries;
                """);
            fill.Parameters.AddWithValue("count", Messages);
            fill.Parameters.AddWithValue("p", prefix);
            fill.Parameters.AddWithValue("at", created);
            fill.ExecuteNonQuery();
        }
    }

    [Benchmark]
    public async Task<long> PurgeRun()
    {
        long total = 0;
        int purged;
        do
        {
            purged = await _store.PurgeSucceededAsync(DateTimeOffset.UtcNow.AddDays(-7), BatchSize);
            total += purged;
        }
        while (purged == BatchSize);

        return total == Messages ? total : throw new InvalidOperationException($"Purged {total} of {Messages}.");
    }
}
