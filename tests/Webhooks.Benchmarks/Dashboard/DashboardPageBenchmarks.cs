using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Webhooks.Core;
using Webhooks.Dashboard;
using Webhooks.Sender;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Benchmarks.Dashboard;

/// <summary>
/// One dashboard page, rendered end to end in process (TestServer, the SQLite store on a file), on a store with 1,000
/// deliveries and on one with 1,000,000: the pages page by key and filter in the store's queries, so the two should cost
/// about the same. The fixture has one message, one delivery and one attempt per row, spread evenly over 30 days
/// (so about 1/30 of them fall in the overview's 24-hour window), 2% failed, up to 500 pending, ten endpoints of ten
/// tenants; <c>--dashboard-fixture</c> bulk-inserts it with SQL into the temp directory before the run.
/// </summary>
[MemoryDiagnoser]
public class DashboardPageBenchmarks
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private string _path = null!;

    [Params(1_000, 1_000_000)]
    public int Deliveries { get; set; }

    [Params("overview", "messages", "failed", "endpoint", "delivery")]
    public string Page { get; set; } = "overview";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var file = FixturePath(Deliveries);
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"No fixture at {file}: run 'dotnet run -c Release --project tests/Webhooks.Benchmarks -- --dashboard-fixture' first (it bulk-inserts the stores, a few minutes for a million).");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddWebhookSender().UseSqlite($"Data Source={file}");
        builder.Services.AddAntiforgery();
        builder.Services.RemoveAll<IHostedService>();
        _app = builder.Build();
        _app.MapWebhookDashboard("/webhooks", o => o.AllowRemoteRequestsWithoutAuthorization = true);
        await _app.StartAsync();
        _client = _app.GetTestClient();

        var existing = await _app.Services.GetRequiredService<IWebhookSubscriptions>().ListAsync();

        var deliveries = _app.Services.GetRequiredService<Webhooks.Sender.IWebhookDeliveries>();
        var failed = await deliveries.ListDeliveriesAsync(new() { Status = WebhookDeliveryStatus.Failed, Limit = 1 });
        _path = Page switch
        {
            "overview" => "/webhooks",
            "messages" => "/webhooks/messages",
            "failed" => "/webhooks/messages?status=failed",
            "endpoint" => "/webhooks/endpoints/" + existing.Items[0].Id,
            _ => "/webhooks/deliveries/" + failed.Items[0].Id,
        };
        var response = await _client.GetAsync(_path);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {_path} answered {(int)response.StatusCode}.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    [Benchmark]
    public async Task<int> RenderPage()
    {
        using var response = await _client.GetAsync(_path);
        var body = await response.Content.ReadAsByteArrayAsync();
        return body.Length;
    }

    /// <summary>Where the fixture of a size lives (the temp directory).</summary>
    public static string FixturePath(int deliveries) => Path.Combine(Path.GetTempPath(), $"webhooks-dashboard-bench-{deliveries}.db");

    /// <summary>Builds the fixtures (<c>--dashboard-fixture</c>): the store's schema, ten endpoints, then the rows in one transaction.</summary>
    public static async Task BuildFixturesAsync(TextWriter output)
    {
        foreach (var size in new[] { 1_000, 1_000_000 })
        {
            var file = FixturePath(size);
            foreach (var stale in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(stale);
            }

            var started = System.Diagnostics.Stopwatch.StartNew();
            var ids = new List<(string Id, string Tenant)>();
            using (var store = new Webhooks.Sender.Sqlite.SqliteWebhookStore(new Webhooks.Sender.Sqlite.SqliteWebhookStoreOptions { ConnectionString = $"Data Source={file}" }))
            {
                for (var i = 0; i < 10; i++)
                {
                    var now = DateTimeOffset.UtcNow.AddDays(-31);
                    var subscription = new Core.WebhookSubscription
                    {
                        Id = WebhookId.New(WebhookId.SubscriptionPrefix),
                        TenantId = $"tenant{i}",
                        Url = new Uri($"https://endpoint{i}.example.com/hooks"),
                        Secrets = [new(WebhookSecret.Generate(), now)],
                        CreatedAt = now,
                        UpdatedAt = now,
                    };
                    await store.CreateSubscriptionAsync(subscription);
                    ids.Add((subscription.Id, subscription.TenantId));
                }
            }

            SqliteConnection.ClearAllPools();
            BulkInsert(file, ids, size);
            SqliteConnection.ClearAllPools();
            output.WriteLine($"dashboard fixture: {size:N0} deliveries in {file} ({started.Elapsed.TotalSeconds:0} s)");
        }
    }

    private static void BulkInsert(string file, List<(string Id, string Tenant)> subscriptions, int count)
    {
        var clock = new SettableTime();
        var end = DateTimeOffset.UtcNow;
        var span = TimeSpan.FromDays(30);
        var pendingFrom = count - Math.Min(count / 100, 500);
        var payload = "{\"type\":\"order.created\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{\"orderId\":42,\"total\":12.5}}"u8.ToArray();
        using var connection = new SqliteConnection($"Data Source={file}");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;";
            pragma.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        using var message = Command(connection, transaction, "INSERT INTO messages (id, tenant_id, event_type, payload, created_at) VALUES ($1, $2, 'order.created', $3, $4)", 4);
        using var delivery = Command(connection, transaction, "INSERT INTO deliveries (id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, last_attempt_at, last_status_code, failure_reason, created_at, completed_at) VALUES ($1, $2, $3, $4, 'order.created', $5, $6, $7, $8, $9, $10, $11, $12)", 12);
        using var attempt = Command(connection, transaction, "INSERT INTO attempts (id, delivery_id, message_id, subscription_id, tenant_id, attempt_number, url, started_at, duration_us, succeeded, error, status_code, response_headers, response_excerpt) VALUES ($1, $2, $3, $4, $5, 1, 'https://endpoint.example.com/hooks', $6, $7, $8, $9, $10, '{\"content-type\":\"application/json\"}', $11)", 11);
        for (var i = 0; i < count; i++)
        {
            clock.Now = end - span + (span * ((double)i / count));
            var ms = clock.Now.ToUnixTimeMilliseconds();
            var (subscriptionId, tenant) = subscriptions[i % subscriptions.Count];
            var messageId = WebhookId.New(WebhookId.MessagePrefix, clock);
            var deliveryId = WebhookId.New(WebhookId.DeliveryPrefix, clock);
            var pending = i >= pendingFrom;
            var failed = !pending && i % 50 == 7;
            Run(message, messageId, tenant, payload, ms);
            Run(delivery, deliveryId, messageId, subscriptionId, tenant, pending ? 0 : failed ? 3 : 2, pending ? 0 : 1, ms, pending ? null : ms + 100, pending ? null : failed ? 500 : 200, failed ? "retries exhausted" : null, ms, pending ? null : ms + 150);
            if (!pending)
            {
                clock.Now = clock.Now.AddMilliseconds(100);
                Run(attempt, WebhookId.New(WebhookId.AttemptPrefix, clock), deliveryId, messageId, subscriptionId, tenant, ms + 100, 20_000 + ((i * 7919) % 200_000), failed ? 0 : 1, failed ? 1 : 0, failed ? 500 : 200, failed ? "{\"error\":\"down\"}" : "{\"ok\":true}");
            }
        }

        // The pending ones wait in the store's queue (schema version 3).
        using (var queue = connection.CreateCommand())
        {
            queue.Transaction = transaction;
            queue.CommandText = "INSERT INTO delivery_queue (delivery_id, subscription_id, tenant_id, attempt_count, next_attempt_at, in_flight) SELECT id, subscription_id, tenant_id, attempt_count, next_attempt_at, 0 FROM deliveries WHERE status = 0";
            queue.ExecuteNonQuery();
        }

        transaction.Commit();
        using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);";
        analyze.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 1; i <= parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter("$" + i, null));
        }

        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }

    private sealed class SettableTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
