using Npgsql;
using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.PostgreSql.Tests.Testing;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql.Tests;

/// <summary>Claims across store instances sharing one schema, as separate sender processes would.</summary>
public sealed class PostgreSqlClaimTests : IAsyncLifetime
{
    private readonly PostgresSchemas _schemas = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schemas.DisposeAsync();

    [Fact]
    public async Task Claim_ManyConcurrentClaimersOnSeveralInstances_HandOutEachDeliveryExactlyOnce()
    {
        var stores = await _schemas.NewInstancesAsync(_time, 4);

        var data = new StoreData(_time);
        for (var i = 0; i < 60; i++)
        {
            await data.EnqueueAsync(stores[0], $"sub_{i % 7}", $"sub_{(i % 7) + 7}", $"sub_{(i % 7) + 14}", $"sub_{(i % 7) + 21}", $"sub_{(i % 7) + 28}");
        }

        var claimed = new ConcurrentBag<string>();
        var claimers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            var store = stores[w % stores.Count];
            for (var round = 0; round < 100; round++)
            {
                var claims = await store.ClaimAsync(StoreData.Claim(3, $"worker-{w}"));
                if (claims.Count == 0)
                {
                    return;
                }

                foreach (var c in claims)
                {
                    claimed.Add(c.Delivery.Id);
                }
            }
        }));
        await Task.WhenAll(claimers).WaitAsync(TimeSpan.FromSeconds(60));

        claimed.Should().OnlyHaveUniqueItems();
        claimed.Should().HaveCount(300);
        (await stores[1].ClaimAsync(StoreData.Claim(10, "late"))).Should().BeEmpty("every delivery is leased");
    }

    [Fact]
    public async Task Claim_AfterTheOwnersLeaseExpires_AnotherInstanceTakesOverAndTheOldOwnerCannotComplete()
    {
        var schema = _schemas.New();
        var dead = await _schemas.NewStoreAsync(_time, schema);
        var survivor = await _schemas.NewStoreAsync(_time, schema);
        var data = new StoreData(_time);
        await data.EnqueueAsync(dead, "sub_a", "sub_b");
        var lease = TimeSpan.FromSeconds(30);
        var orphaned = await dead.ClaimAsync(StoreData.Claim(10, "dead-instance", lease));

        (await survivor.ClaimAsync(StoreData.Claim(10, "survivor", lease))).Should().BeEmpty();
        _time.Advance(lease);
        var taken = await survivor.ClaimAsync(StoreData.Claim(10, "survivor", lease));

        orphaned.Should().HaveCount(2);
        taken.Select(c => c.Delivery.Id).Should().BeEquivalentTo(orphaned.Select(c => c.Delivery.Id));
        taken.Should().OnlyContain(c => c.Delivery.LeaseOwner == "survivor" && c.Delivery.LeaseExpiresAt == _time.GetUtcNow() + lease);
        (await dead.CompleteAsync(data.Completion(orphaned[0], WebhookDeliveryStatus.Succeeded))).Should().Be(WebhookCompletionResult.LeaseLost);
        (await survivor.CompleteAsync(data.Completion(taken.Single(c => c.Delivery.Id == orphaned[0].Delivery.Id), WebhookDeliveryStatus.Succeeded)))
            .Should().Be(WebhookCompletionResult.Completed);
        (await survivor.ListAttemptsAsync(new() { DeliveryId = orphaned[0].Delivery.Id })).Items.Should().ContainSingle();
    }

    [Fact]
    public async Task Claim_WithALargeBacklog_ReadsTheDueRowsThroughThePartialIndexes()
    {
        var schema = _schemas.New();
        var store = await _schemas.NewStoreAsync(TimeProvider.System, schema);
        await using (var fill = PostgresTestDatabase.DataSource.CreateCommand($"""
            INSERT INTO "{schema}".messages (id, event_type, payload, created_at) SELECT 'msg_' || g, 'order.created', '\x7b7d', now() FROM generate_series(1, 20000) g;
            INSERT INTO "{schema}".deliveries (id, message_id, subscription_id, event_type, status, attempt_count, next_attempt_at, lease_expires_at, created_at)
            SELECT 'dlv_' || g, 'msg_' || g, 'sub_' || (g % 50), 'order.created',
                   CASE WHEN g % 100 = 0 THEN 1 WHEN g % 10 = 1 THEN 0 ELSE 2 END, g % 3, now() - make_interval(secs => g),
                   CASE WHEN g % 100 = 0 THEN now() + interval '1 minute' END, now()
            FROM generate_series(1, 20000) g;
            INSERT INTO "{schema}".delivery_queue (delivery_id, subscription_id, status, attempt_count, next_attempt_at, lease_expires_at)
            SELECT id, subscription_id, status, attempt_count, next_attempt_at, lease_expires_at FROM "{schema}".deliveries WHERE status IN (0, 1);
            UPDATE "{schema}".deliveries SET status = 0, lease_expires_at = NULL WHERE status = 1;
            ANALYZE "{schema}".deliveries;
            ANALYZE "{schema}".delivery_queue;
            ANALYZE "{schema}".messages;
            """))
        {
            await fill.ExecuteNonQueryAsync();
        }

        var plan = new List<string>();

        // As the store runs it: with sequential scans priced out (see ClaimAsync).
        await using (var batch = PostgresTestDatabase.DataSource.CreateBatch())
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('enable_seqscan', 'off', true)"));
            var explain = new NpgsqlBatchCommand("EXPLAIN " + new Internal.PostgreSqlCommands($"\"{schema}\"").Claim);
            batch.BatchCommands.Add(explain);
            PostgreSqlWebhookStore.AddClaimParameters(explain.Parameters, StoreData.Claim(32, "explain") with { ExcludedSubscriptionIds = ["sub_1"] }, DateTimeOffset.UtcNow);
            await using var reader = await batch.ExecuteReaderAsync();
            await reader.NextResultAsync();
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join("\n", plan);
        text.Should().Contain("Index Scan using delivery_queue_first").And.Contain("Index Scan using delivery_queue_retry").And.Contain("delivery_queue_leased");
        text.Should().NotContain("Seq Scan", "a claim must not read a whole table:\n" + text);
        (await store.ClaimAsync(StoreData.Claim(32, "w"))).Should().HaveCount(32);
        var sql = new Internal.PostgreSqlCommands($"\"{schema}\"");
        var nextDue = await ExplainAsync(sql.NextDueTime);
        nextDue.Should().NotContain("Seq Scan", "the dispatcher runs it on every idle loop:\n" + nextDue);

        // The backlog gauge counts the queue, which holds only unfinished deliveries (the planner may scan it whole),
        // never the delivered history.
        var count = await ExplainAsync(sql.CountUnfinished);
        count.Should().Contain("delivery_queue").And.NotContain(" deliveries", "the history must not be read:\n" + count);
    }

    private static async Task<string> ExplainAsync(string sql)
    {
        await using var explain = PostgresTestDatabase.DataSource.CreateCommand("EXPLAIN " + sql);
        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("\n", lines);
    }
}
