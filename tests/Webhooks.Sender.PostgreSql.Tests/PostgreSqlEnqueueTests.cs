using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.PostgreSql.Tests.Testing;

namespace Webhooks.Sender.PostgreSql.Tests;

public sealed class PostgreSqlEnqueueTests : IAsyncLifetime
{
    private readonly PostgresSchemas _schemas = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schemas.DisposeAsync();

    [Fact]
    public async Task Enqueue_SameIdempotencyKeyFromManyInstancesAtOnce_StoresOneMessageAndAllReturnItsId()
    {
        var stores = await _schemas.NewInstancesAsync(_time, 4);

        var data = new StoreData(_time);
        var attempts = Enumerable.Range(0, 12).Select(i =>
        {
            var message = data.Message("acme") with { IdempotencyKey = "order-42-created" };
            return Task.Run(() => stores[i % stores.Count].EnqueueAsync(message, [data.Delivery(message, "sub_a")]));
        });

        var results = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(30));

        results.Select(r => r.MessageId).Distinct().Should().ContainSingle();
        results.Count(r => !r.Duplicate).Should().Be(1);
        (await stores[0].ListMessagesAsync(new())).Items.Should().ContainSingle().Which.Id.Should().Be(results[0].MessageId);
        (await stores[0].CountUnfinishedAsync()).Should().Be(1);
    }
}
