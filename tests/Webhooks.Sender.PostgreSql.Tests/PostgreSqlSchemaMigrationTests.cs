using Npgsql;
using Webhooks.Sender.PostgreSql.Tests.Testing;
using Webhooks.Sender.Storage;

namespace Webhooks.Sender.PostgreSql.Tests;

/// <summary>
/// A database written by schema 1 (<c>Data/schema1.sql</c>, a <c>pg_dump</c> of what the store wrote before schema 2)
/// upgrades in place at start-up: every row survives, and the pending and in-flight deliveries are delivered afterwards.
/// </summary>
public sealed class PostgreSqlSchemaMigrationTests : IAsyncLifetime
{
    private const string FixtureSchema = "webhooks_fixture_v1";
    private readonly PostgresSchemas _schemas = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schemas.DisposeAsync();

    [Fact]
    public async Task Start_OnASchema1Database_UpgradesInPlaceAndKeepsEveryRow()
    {
        var schema = await RestoreFixtureAsync();
        var store = await _schemas.NewStoreAsync(TimeProvider.System, schema);

        (await SchemaVersionAsync(schema)).Should().Be(2);
        (await store.ListSubscriptionsAsync(new() { Limit = 100 })).Items.Select(s => (s.Id, s.Enabled, s.Secrets.Count))
            .Should().BeEquivalentTo([("sub_a", true, 1), ("sub_b", true, 1), ("sub_c", false, 1)]);
        (await store.ListMessagesAsync(new() { Limit = 100 })).Items.Should().HaveCount(7);
        (await store.ListAttemptsAsync(new() { Limit = 100 })).Items.Should().HaveCount(4);
        var deliveries = (await store.ListDeliveriesAsync(new() { Limit = 100 })).Items.ToDictionary(d => d.Id);
        deliveries.Values.Select(d => (d.Id, d.Status, d.AttemptCount)).Should().BeEquivalentTo(
        [
            (Id("dlv_", 2), WebhookDeliveryStatus.InFlight, 1),
            (Id("dlv_", 5), WebhookDeliveryStatus.Succeeded, 1),
            (Id("dlv_", 8), WebhookDeliveryStatus.Failed, 2),
            (Id("dlv_", 12), WebhookDeliveryStatus.InFlight, 0),
            (Id("dlv_", 14), WebhookDeliveryStatus.Pending, 0),
            (Id("dlv_", 16), WebhookDeliveryStatus.Pending, 0),
            (Id("dlv_", 17), WebhookDeliveryStatus.Pending, 0),
        ]);
        deliveries[Id("dlv_", 8)].FailureReason.Should().Be("gone");
        deliveries[Id("dlv_", 2)].LeaseExpiresAt.Should().Be(new DateTimeOffset(2026, 1, 1, 0, 3, 0, TimeSpan.Zero));
        (await store.CountUnfinishedAsync()).Should().Be(5);

        // The idempotency key of the pending message is still known.
        var repeat = new WebhookMessage { Id = "msg_repeat", TenantId = "acme", IdempotencyKey = "order-1", EventType = "order.created", Payload = "{}"u8.ToArray(), CreatedAt = DateTimeOffset.UtcNow };
        (await store.EnqueueAsync(repeat, [])).Should().Be(new WebhookEnqueueResult(Id("msg_", 13), Duplicate: true));
    }

    [Fact]
    public async Task Start_OnASchema1Database_DeliversThePendingAndInFlightDeliveries()
    {
        var schema = await RestoreFixtureAsync();
        await using var first = await CountingReceiver.StartAsync();
        await using var second = await CountingReceiver.StartAsync();
        var store = await _schemas.NewStoreAsync(TimeProvider.System, schema);
        foreach (var (id, url) in new[] { ("sub_a", first.Url), ("sub_b", second.Url) })
        {
            var subscription = (await store.GetSubscriptionAsync(id))!;
            (await store.UpdateSubscriptionAsync(subscription with { Url = new Uri(url) })).Should().BeTrue();
        }

        await using (var sender = await PostgresSenderHost.StartAsync(schema))
        {
            await first.WaitForDistinctAsync(3, TimeSpan.FromSeconds(60));
            await second.WaitForDistinctAsync(2, TimeSpan.FromSeconds(60));
        }

        first.Counts.Keys.Should().BeEquivalentTo([Id("msg_", 1), Id("msg_", 13), Id("msg_", 15)]);
        second.Counts.Keys.Should().BeEquivalentTo([Id("msg_", 11), Id("msg_", 15)]);
        var retried = (await store.GetDeliveryAsync(Id("dlv_", 2)))!;
        retried.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        retried.AttemptCount.Should().Be(2);
        (await store.ListAttemptsAsync(new() { DeliveryId = retried.Id })).Items.Select(a => a.AttemptNumber).Should().BeEquivalentTo([1, 2]);
        (await store.GetDeliveryAsync(Id("dlv_", 8)))!.Status.Should().Be(WebhookDeliveryStatus.Failed);
        (await store.CountUnfinishedAsync()).Should().Be(0);
    }

    private static string Id(string prefix, int n) => $"{prefix}{n:D26}";

    /// <summary>Restores the schema-1 dump into a new schema (the dump's name replaced), as a plain SQL script.</summary>
    private async Task<string> RestoreFixtureAsync()
    {
        var schema = _schemas.New();
        var lines = await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "Data", "schema1.sql"));

        // psql meta-commands (\restrict) are not SQL.
        var script = string.Join('\n', lines.Where(l => !l.StartsWith('\\'))).Replace(FixtureSchema, schema, StringComparison.Ordinal);
        var builder = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var restore = new NpgsqlCommand(script, connection);
        await restore.ExecuteNonQueryAsync();
        return schema;
    }

    private static async Task<int> SchemaVersionAsync(string schema)
    {
        await using var command = PostgresTestDatabase.DataSource.CreateCommand($"SELECT max(version) FROM \"{schema}\".schema_version");
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
