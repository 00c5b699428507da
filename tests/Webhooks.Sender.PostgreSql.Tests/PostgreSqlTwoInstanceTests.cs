using Webhooks.Sender.PostgreSql.Tests.Testing;
using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Webhooks.Sender.Subscriptions;
using Xunit.Abstractions;

namespace Webhooks.Sender.PostgreSql.Tests;

/// <summary>Two complete senders on one database deliver a run of messages: none lost, none twice.</summary>
public sealed class PostgreSqlTwoInstanceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Messages = 500;
    private readonly PostgresSchemas _schemas = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schemas.DisposeAsync();

    [Fact]
    public async Task TwoSenders_OneDatabase_DeliverEveryMessageExactlyOnce()
    {
        var schema = _schemas.New();
        await using var receiver = await CountingReceiver.StartAsync();
        await using var first = await PostgresSenderHost.StartAsync(schema);
        await using var second = await PostgresSenderHost.StartAsync(schema);
        await first.Subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest(receiver.Url) { EventTypes = ["order.*"] });

        // Both instances publish, so both dispatchers are woken by their own publishes and claim from the shared table.
        var publishes = Enumerable.Range(0, Messages).Select(i =>
            (i % 2 == 0 ? first : second).Publisher.PublishAsync("order.created", new { Id = i }));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ids = await Task.WhenAll(publishes);
        var published = clock.Elapsed;
        await receiver.WaitForDistinctAsync(Messages, TimeSpan.FromSeconds(90));
        output.WriteLine($"{Messages} messages published in {published.TotalSeconds:F1} s, all delivered after {clock.Elapsed.TotalSeconds:F1} s");
        var store = first.Store;
        for (var i = 0; i < 100 && await store.CountUnfinishedAsync() > 0; i++)
        {
            await Task.Delay(100);
        }

        receiver.Counts.Keys.Should().BeEquivalentTo(ids);
        receiver.Duplicates.Should().Be(0);
        (await store.CountUnfinishedAsync()).Should().Be(0);
        var owners = await DistinctLeaseOwnersAsync(schema);
        owners.Should().Be(2, "both instances should have claimed deliveries");
        (await store.ListDeliveriesAsync(new() { Status = WebhookDeliveryStatus.Succeeded, Limit = 1000 })).Items.Should().HaveCount(Messages);
    }

    private static async Task<long> DistinctLeaseOwnersAsync(string schema)
    {
        await using var command = PostgresTestDatabase.DataSource.CreateCommand($"SELECT count(DISTINCT lease_owner) FROM \"{schema}\".deliveries");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
