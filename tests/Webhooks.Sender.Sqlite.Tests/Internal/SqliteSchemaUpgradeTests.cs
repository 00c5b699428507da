using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.Sqlite.Internal;
using Webhooks.Sender.Storage;

namespace Webhooks.Sender.Sqlite.Tests.Internal;

/// <summary>
/// A database written by the store before the second schema design (Data/schema2-fixture.db, schema version 2, made by
/// <see cref="SchemaFixtureGenerator"/> at that commit) upgrades in place at start-up: every row survives, and the
/// unfinished deliveries are claimed and delivered afterwards.
/// </summary>
public sealed class SqliteSchemaUpgradeTests : IDisposable
{
    private const string Fixture = "Data/schema2-fixture.db";

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task OpenSchemaTwoFile_UpgradesInPlace_KeepsEveryRow_AndDeliversTheUnfinishedOnes()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, Fixture), _database.FilePath);
        Dictionary<string, string?[]> deliveries;
        string[] messages, subscriptions, attempts;
        using (var before = _database.Open())
        {
            SqliteSchema.GetVersion(before).Should().Be(2);
            deliveries = Rows(before, "SELECT id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, last_attempt_at, last_status_code, failure_reason, lease_id, lease_owner, lease_expires_at, created_at, completed_at FROM deliveries")
                .ToDictionary(r => r[0]!);
            messages = [.. Rows(before, "SELECT id, tenant_id, event_type, hex(payload), idempotency_key, trace_parent, created_at FROM messages ORDER BY id").Select(r => string.Join('|', r))];
            subscriptions = [.. Rows(before, "SELECT * FROM subscriptions ORDER BY id").Select(r => string.Join('|', r))];
            attempts = [.. Rows(before, "SELECT * FROM attempts ORDER BY id").Select(r => string.Join('|', r))];
        }

        deliveries.Values.GroupBy(d => d[5]!).ToDictionary(g => g.Key, g => g.Count())
            .Should().BeEquivalentTo(new Dictionary<string, int> { ["0"] = 90, ["1"] = 30, ["2"] = 40, ["3"] = 20 }, "the fixture holds every state");

        // An hour later: the in-flight deliveries' leases (5 minutes) have run out and the retries are due.
        var time = new FakeTimeProvider(SchemaFixtureGenerator.Start.AddHours(1));
        using var store = _database.CreateStore(time);
        await store.InitializeAsync();

        using (var after = _database.Open())
        {
            SqliteSchema.GetVersion(after).Should().Be(SqliteSchema.LatestVersion);
            Rows(after, "SELECT id, tenant_id, event_type, hex(payload), idempotency_key, trace_parent, created_at FROM messages ORDER BY id").Select(r => string.Join('|', r))
                .Should().Equal(messages);
            Rows(after, "SELECT * FROM subscriptions ORDER BY id").Select(r => string.Join('|', r)).Should().Equal(subscriptions);
            Rows(after, "SELECT * FROM attempts ORDER BY id").Select(r => string.Join('|', r)).Should().Equal(attempts);
            Rows(after, "SELECT count(*) FROM delivery_queue").Single()[0].Should().Be("120");

            // The tenant indexes hold only rows with a tenant, and a tenant's list still seeks them.
            foreach (var table in (string[])["messages", "deliveries", "attempts"])
            {
                Rows(after, $"EXPLAIN QUERY PLAN SELECT * FROM {table} WHERE tenant_id = 'tenant-c' ORDER BY id DESC LIMIT 10").Select(r => r[3])
                    .Should().ContainMatch($"*USING INDEX ix_{table}_tenant (tenant_id=?)*");
            }
        }

        foreach (var (id, row) in deliveries)
        {
            var d = (await store.GetDeliveryAsync(id))!;
            string?[] reported =
            [
                d.Id, d.MessageId, d.SubscriptionId, d.TenantId, d.EventType, Num((int)d.Status), Num(d.AttemptCount), Ms(d.NextAttemptAt), Ms(d.LastAttemptAt),
                d.LastStatusCode is { } code ? Num(code) : null, d.FailureReason, d.LeaseId, d.LeaseOwner, Ms(d.LeaseExpiresAt), Ms(d.CreatedAt), Ms(d.CompletedAt),
            ];
            reported.Should().Equal(row, $"delivery {id} reads as it was stored");
        }

        (await store.CountUnfinishedAsync()).Should().Be(120);
        var statistics = await store.GetStatisticsAsync(new WebhookStatisticsQuery { Since = SchemaFixtureGenerator.Start });
        (statistics.Pending, statistics.InFlight).Should().Be((90L, 30L));

        // Delivered afterwards: first attempts (the 60 never tried and the 30 whose lease ran out) before the 30 retries.
        var claims = await store.ClaimAsync(new WebhookClaimRequest { LeaseOwner = "after-upgrade", MaxCount = 500, LeaseDuration = TimeSpan.FromMinutes(1) });
        claims.Select(c => c.Delivery.Id).Should().BeEquivalentTo(deliveries.Values.Where(r => r[5] is "0" or "1").Select(r => r[0]));
        claims.Select(c => c.Delivery.AttemptCount).Should().BeInAscendingOrder();
        foreach (var claim in claims)
        {
            claim.Message.Id.Should().Be(claim.Delivery.MessageId);
            (await store.CompleteAsync(new WebhookDeliveryCompletion
            {
                DeliveryId = claim.Delivery.Id,
                LeaseId = claim.Delivery.LeaseId!,
                Status = WebhookDeliveryStatus.Succeeded,
                Attempt = new WebhookAttempt
                {
                    Id = "atm_upgrade_" + claim.Delivery.Id,
                    DeliveryId = claim.Delivery.Id,
                    MessageId = claim.Delivery.MessageId,
                    SubscriptionId = claim.Delivery.SubscriptionId,
                    AttemptNumber = claim.Delivery.AttemptCount + 1,
                    Url = "https://fixture.example/hooks",
                    StartedAt = time.GetUtcNow(),
                    Duration = TimeSpan.FromMilliseconds(5),
                    Succeeded = true,
                    StatusCode = 204,
                },
            })).Should().Be(WebhookCompletionResult.Completed);
        }

        (await store.CountUnfinishedAsync()).Should().Be(0);
        var succeeded = await store.ListDeliveriesAsync(new WebhookDeliveryQuery { Status = WebhookDeliveryStatus.Succeeded, Limit = 500 });
        succeeded.Items.Should().HaveCount(160);
        succeeded.Items.Where(d => deliveries[d.Id][5] == "0" && deliveries[d.Id][6] == "1").Should().OnlyContain(d => d.AttemptCount == 2, "a retried delivery keeps its count");
        (await store.ListDeliveriesAsync(new WebhookDeliveryQuery { Status = WebhookDeliveryStatus.Failed, Limit = 500 })).Items.Should().HaveCount(20);
    }

    private static string? Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Ms(DateTimeOffset? value) => value is { } v ? Num(v.ToUnixTimeMilliseconds()) : null;

    private static List<string?[]> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string?[]>();
        while (reader.Read())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }
}
