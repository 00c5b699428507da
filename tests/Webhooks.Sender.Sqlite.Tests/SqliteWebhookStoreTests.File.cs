using System.Text;
using Microsoft.Data.Sqlite;
using Webhooks.Core;
using Webhooks.Sender.Sqlite.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Sqlite.Tests;

/// <summary>What only a file store has: the schema, WAL, reopening, retention, the claim's query plan, two instances.</summary>
public sealed partial class SqliteWebhookStoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Open_NewFile_CreatesTheSchemaAtTheLatestVersionInWalMode()
    {
        var store = Open();

        await store.InitializeAsync();

        using var connection = _database.Open();
        Scalar(connection, "PRAGMA journal_mode").Should().Be("wal");
        SqliteSchema.GetVersion(connection).Should().Be(SqliteSchema.LatestVersion);
        Scalar(connection, "SELECT group_concat(version) FROM (SELECT version FROM schema_version ORDER BY version)")
            .Should().Be(string.Join(",", SqliteSchema.Migrations.Select(m => m.Version)));
        Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('subscriptions', 'messages', 'deliveries', 'attempts')").Should().Be(4L);
    }

    [Fact]
    public async Task Reopen_KeepsSubscriptionsMessagesDeliveriesAndAttempts()
    {
        var first = Open();
        var sub = NewSubscription("acme", ["order.*"]) with { Secrets = [new WebhookSubscriptionSecret(Core.WebhookSecret.Generate(), Time.GetUtcNow())] };
        await first.CreateSubscriptionAsync(sub);
        var message = NewMessage("acme") with { IdempotencyKey = "k-1" };
        var done = NewDelivery(message, sub.Id);
        var waiting = NewDelivery(message, "sub_other");
        await first.EnqueueAsync(message, [done, waiting]);
        var claim = (await first.ClaimAsync(new WebhookClaimRequest { LeaseOwner = "w", MaxCount = 1, LeaseDuration = Lease })).Single();
        await first.CompleteAsync(new WebhookDeliveryCompletion
        {
            DeliveryId = claim.Delivery.Id,
            LeaseId = claim.Delivery.LeaseId!,
            Status = WebhookDeliveryStatus.Succeeded,
            Attempt = new WebhookAttempt
            {
                Id = "atm_1",
                DeliveryId = claim.Delivery.Id,
                MessageId = message.Id,
                SubscriptionId = claim.Delivery.SubscriptionId,
                AttemptNumber = 1,
                Url = "https://example.com/hooks",
                StartedAt = Time.GetUtcNow(),
                Duration = TimeSpan.FromMilliseconds(12.5),
                Succeeded = true,
                StatusCode = 204,
            },
        });
        first.Dispose();

        var second = Open();

        (await second.GetSubscriptionAsync(sub.Id)).Should().BeEquivalentTo(sub);
        (await second.GetMessageAsync(message.Id))!.Payload.ToArray().Should().Equal(message.Payload.ToArray());
        (await second.GetDeliveryAsync(claim.Delivery.Id))!.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        (await second.GetDeliveryAsync(claim.Delivery.Id == done.Id ? waiting.Id : done.Id))!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        (await second.ListAttemptsAsync(new())).Items.Should().ContainSingle().Which.Duration.Should().Be(TimeSpan.FromMilliseconds(12.5));
        (await second.EnqueueAsync(NewMessage("acme") with { IdempotencyKey = "k-1" }, [])).Should().Be(new WebhookEnqueueResult(message.Id, Duplicate: true));
        (await second.CountUnfinishedAsync()).Should().Be(1);
    }

    [Fact]
    public async Task Enqueue_SameIdempotencyKeyWithoutTenant_IsADuplicateButNotOfATenantsKey()
    {
        var store = Open();
        var first = NewMessage() with { IdempotencyKey = "same" };
        var tenant = NewMessage("acme") with { IdempotencyKey = "same" };

        (await store.EnqueueAsync(first, [])).Duplicate.Should().BeFalse();
        (await store.EnqueueAsync(tenant, [])).Duplicate.Should().BeFalse();
        var again = await store.EnqueueAsync(NewMessage() with { IdempotencyKey = "same" }, []);

        again.Should().Be(new WebhookEnqueueResult(first.Id, Duplicate: true));
    }

    [Fact]
    public async Task Claim_WithALargeBacklog_UsesTheDueIndexes()
    {
        var store = Open();
        await store.InitializeAsync();
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        using (var connection = _database.Open())
        {
            // 50,000 deliveries: a third succeeded, the rest pending first attempts and retries, most not yet due.
            Execute(connection, $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
                INSERT INTO messages (id, event_type, payload, created_at) SELECT printf('msg_%026d', i), 'bulk.test', x'7b7d', {now} FROM n;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
                INSERT INTO deliveries (id, message_id, subscription_id, event_type, status, attempt_count, next_attempt_at, created_at, completed_at)
                SELECT printf('dlv_%026d', i), printf('msg_%026d', i), printf('sub_%d', i % 50), 'bulk.test',
                       CASE WHEN i % 3 = 0 THEN 2 ELSE 0 END, i % 2, {now} + (i - 100) * 1000, {now},
                       CASE WHEN i % 3 = 0 THEN {now} END
                FROM n;
                INSERT INTO delivery_queue (delivery_id, subscription_id, tenant_id, attempt_count, next_attempt_at, in_flight)
                SELECT id, subscription_id, tenant_id, attempt_count, next_attempt_at, 0 FROM deliveries WHERE status = 0;
                ANALYZE;
                """);
            var plan = QueryPlan(
                connection,
                SqliteWebhookStore.ClaimPickSql,
                ("$now", now),
                ("$aged", now - 60_000),
                ("$excluded", "[\"sub_1\"]"),
                ("$caps", "{\"sub_2\":1}"),
                ("$per", 4),
                ("$window", 128),
                ("$n", 32));

            plan.Should().Contain("SEARCH delivery_queue USING INDEX ix_queue_due_first (due_at<?)");
            plan.Should().Contain("SEARCH delivery_queue USING INDEX ix_queue_due_retry (due_at<?)");
            plan.Should().NotContain("SCAN delivery_queue").And.NotContain("deliveries");
            QueryPlan(connection, "SELECT min(due_at) FROM delivery_queue WHERE attempt_count = 0").Should().Contain("ix_queue_due_first");
        }

        var claims = await store.ClaimAsync(new WebhookClaimRequest { LeaseOwner = "w", MaxCount = 500, LeaseDuration = Lease, ExcludedSubscriptionIds = ["sub_1"] });

        // Due: i <= 100 and not succeeded and not sub_1; first attempts (even i) before retries (odd i), each by due time.
        var expected = Enumerable.Range(1, 100).Where(i => i % 3 != 0 && i % 50 != 1).OrderBy(i => i % 2).ThenBy(i => i).Select(i => $"dlv_{i:D26}");
        claims.Select(c => c.Delivery.Id).Should().Equal(expected);
    }

    [Fact]
    public async Task Recover_MoreThanOneBatch_ReschedulesEveryFailedDelivery()
    {
        var store = Open();
        await store.InitializeAsync();
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        using (var connection = _database.Open())
        {
            Execute(connection, $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1234)
                INSERT INTO deliveries (id, message_id, subscription_id, event_type, status, attempt_count, next_attempt_at, created_at, completed_at, failure_reason)
                SELECT printf('dlv_%026d', i), printf('msg_%026d', i), 'sub_a', 'a.b', 3, 8, {now}, {now}, {now}, 'retries exhausted' FROM n;
                """);
        }

        var recovered = await store.RecoverAsync("sub_a", Time.GetUtcNow());

        recovered.Should().Be(1234);
        (await store.CountUnfinishedAsync()).Should().Be(1234);
        (await store.ListDeliveriesAsync(new() { Status = WebhookDeliveryStatus.Failed })).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task ListSubscriptions_ByEventType_FillsPagesAcrossNonMatchingRows()
    {
        var store = Open();
        var matching = new List<string>();
        for (var i = 0; i < 15; i++)
        {
            var s = NewSubscription(null, i % 3 == 0 ? ["order.*"] : ["invoice.paid"]);
            await store.CreateSubscriptionAsync(s);
            if (i % 3 == 0)
            {
                matching.Add(s.Id);
            }
        }

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await store.ListSubscriptionsAsync(new() { EventType = "order.created", Limit = 2, After = after });
            seen.AddRange(page.Items.Select(s => s.Id));
            after = page.ContinuationToken;
            pages++;
        }
        while (after is not null && pages < 10);

        seen.Should().Equal(matching.AsEnumerable().Reverse());
        pages.Should().Be(3);
    }

    [Fact]
    public async Task Claim_TwoStoresOnOneFile_NeverHandOutADeliveryTwice()
    {
        var seed = Open();
        for (var i = 0; i < 60; i++)
        {
            var m = NewMessage();
            await seed.EnqueueAsync(m, [NewDelivery(m, $"sub_{i % 7}")]);
        }

        var a = Open();
        var b = Open();
        var claimed = new System.Collections.Concurrent.ConcurrentBag<string>();

        async Task ClaimAll(SqliteWebhookStore store, string owner)
        {
            for (var round = 0; round < 40; round++)
            {
                foreach (var c in await store.ClaimAsync(new WebhookClaimRequest { LeaseOwner = owner, MaxCount = 3, LeaseDuration = Lease }))
                {
                    claimed.Add(c.Delivery.Id);
                }
            }
        }

        await Task.WhenAll(Task.Run(() => ClaimAll(a, "a")), Task.Run(() => ClaimAll(b, "b")));

        claimed.Should().OnlyHaveUniqueItems().And.HaveCount(60);
    }

    [Fact]
    public async Task InMemoryDataSource_WorksOnItsSingleConnection()
    {
        using var store = new SqliteWebhookStore(new SqliteWebhookStoreOptions { ConnectionString = "Data Source=:memory:" }, Time);
        var m = NewMessage();

        await store.EnqueueAsync(m, [NewDelivery(m, "sub_a")]);

        (await store.GetMessageAsync(m.Id)).Should().NotBeNull();
        (await store.ClaimAsync(new WebhookClaimRequest { LeaseOwner = "w", MaxCount = 5, LeaseDuration = Lease })).Should().ContainSingle();
    }

    [Fact]
    public async Task Open_InADirectoryThatDoesNotExist_FailsNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "webhooks-missing-" + Guid.NewGuid().ToString("N"), "x.db");
        using var store = new SqliteWebhookStore(new SqliteWebhookStoreOptions { ConnectionString = $"Data Source={path}" }, Time);

        var act = () => store.InitializeAsync();

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage($"*'{path}'*directory exists*");
    }

    [Fact]
    public void Constructor_WithInvalidOptions_ThrowsNamingTheProblem()
    {
        var act = () => new SqliteWebhookStore(new SqliteWebhookStoreOptions { ConnectionString = "" });

        act.Should().Throw<ArgumentException>().WithMessage("*ConnectionString is empty*Data Source=webhooks.db*");
    }

    [Fact]
    public async Task Dispose_ThenUse_ThrowsObjectDisposed()
    {
        var store = Open();
        await store.InitializeAsync();

        store.Dispose();
        store.Dispose();

        await store.Invoking(s => s.CountUnfinishedAsync()).Should().ThrowAsync<ObjectDisposedException>();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string QueryPlan(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var plan = new StringBuilder();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            plan.AppendLine(reader.GetString(3));
        }

        return plan.ToString();
    }
}
