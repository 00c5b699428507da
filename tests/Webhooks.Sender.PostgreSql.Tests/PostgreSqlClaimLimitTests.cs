using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Webhooks.Sender.PostgreSql.Tests.Testing;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql.Tests;

/// <summary>
/// The per-subscription caps and retry aging inside the claim statement, releases in one statement, and a claim that
/// draws no server warning.
/// </summary>
public sealed class PostgreSqlClaimLimitTests : IAsyncLifetime
{
    private readonly PostgresSchemas _schemas = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly StoreData _data;

    public PostgreSqlClaimLimitTests() => _data = new StoreData(_time);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schemas.DisposeAsync();

    [Fact]
    public async Task Claim_WithMaxPerSubscription_TakesAtMostThatManyOfEachAndLeavesTheRestPending()
    {
        var store = await _schemas.NewStoreAsync(_time);
        await EnqueueEachAsync(store, "sub_a", 10);
        await EnqueueEachAsync(store, "sub_b", 3);

        var claims = await store.ClaimAsync(StoreData.Claim(8, "w") with { MaxPerSubscription = 2 });

        claims.Select(c => c.Delivery.SubscriptionId).Should().Equal("sub_a", "sub_a", "sub_b", "sub_b");
        (await store.ListDeliveriesAsync(new() { Status = WebhookDeliveryStatus.InFlight })).Items.Should().HaveCount(4, "what the cap leaves out is not leased");
        (await store.ListDeliveriesAsync(new() { Status = WebhookDeliveryStatus.Pending, Limit = 100 })).Items.Should().HaveCount(9);
    }

    [Fact]
    public async Task Claim_WithSubscriptionCapacity_UsesEachEntryOverTheDefaultCapAndZeroMeansNone()
    {
        var store = await _schemas.NewStoreAsync(_time);
        await EnqueueEachAsync(store, "sub_a", 5);
        await EnqueueEachAsync(store, "sub_b", 5);
        await EnqueueEachAsync(store, "sub_c", 5);

        var claims = await store.ClaimAsync(StoreData.Claim(10, "w") with
        {
            MaxPerSubscription = 2,
            SubscriptionCapacity = new Dictionary<string, int> { ["sub_a"] = 0, ["sub_b"] = 3 },
        });

        claims.GroupBy(c => c.Delivery.SubscriptionId).ToDictionary(g => g.Key, g => g.Count())
            .Should().Equal(new Dictionary<string, int> { ["sub_b"] = 3, ["sub_c"] = 2 });
    }

    [Fact]
    public async Task Claim_WithRetryAging_TakesARetryDueLongerThanTheThresholdBeforeNewerFirstAttempts()
    {
        var store = await _schemas.NewStoreAsync(_time);
        await EnqueueEachAsync(store, "sub_r", 1);
        var first = (await store.ClaimAsync(StoreData.Claim(1, "w"))).Single();
        await store.CompleteAsync(_data.Completion(first, WebhookDeliveryStatus.Pending) with { NextAttemptAt = _time.GetUtcNow() });
        _time.Advance(TimeSpan.FromMinutes(10));
        await EnqueueEachAsync(store, "sub_f", 3);

        var withoutAging = await store.ClaimAsync(StoreData.Claim(1, "w"));
        var aged = await store.ClaimAsync(StoreData.Claim(1, "w") with { RetryAgingThreshold = TimeSpan.FromMinutes(5) });

        withoutAging.Should().ContainSingle().Which.Delivery.SubscriptionId.Should().Be("sub_f", "first attempts come before retries");
        aged.Should().ContainSingle().Which.Delivery.Id.Should().Be(first.Delivery.Id, "a retry due for 10 minutes ranks with first attempts by its due time");
        (await store.ClaimAsync(StoreData.Claim(5, "w") with { RetryAgingThreshold = TimeSpan.FromMinutes(5) })).Should().HaveCount(2);
    }

    [Fact]
    public async Task ReleaseMany_ReleasesEveryDeliveryStillHeldInOneCall_AndNotifiesOnce()
    {
        var store = await _schemas.NewStoreAsync(_time);
        await EnqueueEachAsync(store, "sub_a", 4);
        var claims = await store.ClaimAsync(StoreData.Claim(4, "w"));
        var later = _time.GetUtcNow().AddMinutes(1);
        await using var listener = await PostgresTestDatabase.DataSource.OpenConnectionAsync();
        var notifications = 0;
        listener.Notification += (_, e) => notifications += e.Payload == store.Schema ? 1 : 0;
        await using (var listen = new NpgsqlCommand("LISTEN " + PostgreSqlWebhookStore.NotificationChannel, listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        var released = await store.ReleaseManyAsync([
            new(claims[0].Delivery.Id, claims[0].Delivery.LeaseId!),
            new(claims[1].Delivery.Id, claims[1].Delivery.LeaseId!, later),
            new(claims[2].Delivery.Id, "not-the-lease"),
        ]);
        await using (var sync = new NpgsqlCommand("SELECT 1", listener))
        {
            // Notifications that arrived are delivered with the next exchange on the listening connection.
            await sync.ExecuteScalarAsync();
        }

        released.Should().Be(2);
        notifications.Should().Be(1);
        (await store.GetDeliveryAsync(claims[0].Delivery.Id))!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        (await store.GetDeliveryAsync(claims[1].Delivery.Id))!.NextAttemptAt.Should().Be(later);
        (await store.GetDeliveryAsync(claims[2].Delivery.Id))!.Status.Should().Be(WebhookDeliveryStatus.InFlight);
        (await store.ReleaseManyAsync([])).Should().Be(0);
    }

    [Fact]
    public async Task Claim_DrawsNoServerWarning()
    {
        // Npgsql logs every notice the server sends (at Debug); a data source cannot take a Notice handler.
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        var builder = new NpgsqlDataSourceBuilder(PostgresTestDatabase.ConnectionString);
        builder.UseLoggerFactory(loggerFactory);
        await using var dataSource = builder.Build();
        var store = new PostgreSqlWebhookStore(dataSource, PostgresTestDatabase.Options(_schemas.New()), _time);
        await store.InitializeAsync();
        await EnqueueEachAsync(store, "sub_a", 2);
        await using (var probe = dataSource.CreateCommand("DO $$ BEGIN RAISE WARNING 'probe warning'; END $$"))
        {
            await probe.ExecuteNonQueryAsync();
        }

        (await store.ClaimAsync(StoreData.Claim(1, "w"))).Should().ContainSingle();
        (await store.ClaimAsync(StoreData.Claim(1, "w") with { MaxPerSubscription = 1 })).Should().ContainSingle();

        var messages = logs.GetSnapshot().Select(r => r.Message).ToList();
        messages.Should().Contain(m => m.Contains("probe warning", StringComparison.Ordinal), "server warnings reach this log");
        messages.Should().NotContain(m => m.Contains("WARNING", StringComparison.Ordinal) && !m.Contains("probe warning", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Claim_WithCapsAndALargeBacklog_ReadsTheDueRowsThroughThePartialIndexes()
    {
        var schema = _schemas.New();
        await _schemas.NewStoreAsync(TimeProvider.System, schema);
        await using (var fill = PostgresTestDatabase.DataSource.CreateCommand($"""
            INSERT INTO "{schema}".messages (id, event_type, payload, created_at) SELECT 'msg_' || g, 'order.created', '\x7b7d', now() FROM generate_series(1, 20000) g;
            INSERT INTO "{schema}".deliveries (id, message_id, subscription_id, event_type, status, attempt_count, next_attempt_at, created_at)
            SELECT 'dlv_' || g, 'msg_' || g, 'sub_' || (g % 5), 'order.created', 0, g % 2, now() - make_interval(secs => g), now()
            FROM generate_series(1, 20000) g;
            INSERT INTO "{schema}".delivery_queue (delivery_id, subscription_id, status, attempt_count, next_attempt_at)
            SELECT id, subscription_id, status, attempt_count, next_attempt_at FROM "{schema}".deliveries;
            ANALYZE "{schema}".deliveries;
            ANALYZE "{schema}".delivery_queue;
            ANALYZE "{schema}".messages;
            """))
        {
            await fill.ExecuteNonQueryAsync();
        }

        await using var batch = PostgresTestDatabase.DataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('enable_seqscan', 'off', true)"));
        var explain = new NpgsqlBatchCommand("EXPLAIN " + new Internal.PostgreSqlCommands($"\"{schema}\"").Claim);
        batch.BatchCommands.Add(explain);
        var request = StoreData.Claim(32, "explain") with
        {
            MaxPerSubscription = 4,
            SubscriptionCapacity = new Dictionary<string, int> { ["sub_1"] = 0, ["sub_2"] = 2 },
            RetryAgingThreshold = TimeSpan.FromMinutes(1),
        };
        PostgreSqlWebhookStore.AddClaimParameters(explain.Parameters, request, DateTimeOffset.UtcNow);
        var plan = new List<string>();
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            await reader.NextResultAsync();
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join("\n", plan);
        text.Should().Contain("Index Scan using delivery_queue_first").And.Contain("Index Scan using delivery_queue_retry").And.Contain("delivery_queue_leased");
        text.Should().NotContain("Seq Scan", "a claim must not read a whole table:\n" + text);
    }

    private async Task EnqueueEachAsync(IWebhookStore store, string subscriptionId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _data.EnqueueAsync(store, subscriptionId);
        }
    }
}
