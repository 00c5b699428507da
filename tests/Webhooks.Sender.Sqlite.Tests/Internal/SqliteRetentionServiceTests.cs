using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.Sqlite.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Sqlite.Tests.Internal;

public sealed class SqliteRetentionServiceTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly TrackingTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task PurgeOnce_PurgesMessagesOlderThanTheRetentionInBatches()
    {
        using var store = _database.CreateStore(_time);
        for (var i = 0; i < 7; i++)
        {
            await store.EnqueueAsync(Message($"msg_{i:D3}"), []);
        }

        _time.Advance(TimeSpan.FromDays(2));
        await store.EnqueueAsync(Message("msg_new"), []);
        var service = Service(store, new SqliteWebhookStoreOptions { ConnectionString = _database.ConnectionString, SucceededRetention = TimeSpan.FromDays(1), RetentionBatchSize = 3 });

        var purged = await service.PurgeOnceAsync(CancellationToken.None);

        purged.Should().Be(7);
        (await store.ListMessagesAsync(new())).Items.Select(m => m.Id).Should().Equal("msg_new");
    }

    [Fact]
    public async Task PurgeOnce_WithoutRetention_KeepsEverything()
    {
        using var store = _database.CreateStore(_time);
        await store.EnqueueAsync(Message("msg_old"), []);
        _time.Advance(TimeSpan.FromDays(365));
        var service = Service(store, new SqliteWebhookStoreOptions { ConnectionString = _database.ConnectionString, SucceededRetention = null });

        (await service.PurgeOnceAsync(CancellationToken.None)).Should().Be(0);
        (await store.GetMessageAsync("msg_old")).Should().NotBeNull();
    }

    [Fact]
    public async Task PurgeOnce_MoreThanAHundredBatches_PurgesUntilNothingEligibleIsLeft()
    {
        using var store = _database.CreateStore(_time);
        for (var i = 0; i < 150; i++)
        {
            await store.EnqueueAsync(Message($"msg_{i:D3}"), []);
        }

        _time.Advance(TimeSpan.FromDays(2));
        var service = Service(store, new SqliteWebhookStoreOptions { ConnectionString = _database.ConnectionString, SucceededRetention = TimeSpan.FromDays(1), RetentionBatchSize = 1 });

        (await service.PurgeOnceAsync(CancellationToken.None)).Should().Be(150);
        (await store.ListMessagesAsync(new())).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task PurgeOnce_WithMaxPerRun_StopsThereAndTheNextRunTakesTheRest()
    {
        using var store = _database.CreateStore(_time);
        for (var i = 0; i < 10; i++)
        {
            await store.EnqueueAsync(Message($"msg_{i:D3}"), []);
        }

        _time.Advance(TimeSpan.FromDays(2));
        var service = Service(store, new SqliteWebhookStoreOptions { ConnectionString = _database.ConnectionString, SucceededRetention = TimeSpan.FromDays(1), RetentionBatchSize = 4, RetentionMaxPerRun = 6 });

        (await service.PurgeOnceAsync(CancellationToken.None)).Should().Be(6);
        (await service.PurgeOnceAsync(CancellationToken.None)).Should().Be(4);
        (await service.PurgeOnceAsync(CancellationToken.None)).Should().Be(0);
    }

    [Fact]
    public async Task PurgeOnce_WithABatchPause_WaitsOnTheClockBetweenBatches()
    {
        using var store = _database.CreateStore(_time);
        for (var i = 0; i < 5; i++)
        {
            await store.EnqueueAsync(Message($"msg_{i:D3}"), []);
        }

        _time.Advance(TimeSpan.FromDays(2));
        var service = Service(store, new SqliteWebhookStoreOptions { ConnectionString = _database.ConnectionString, SucceededRetention = TimeSpan.FromDays(1), RetentionBatchSize = 2, RetentionBatchPause = TimeSpan.FromSeconds(1) });

        var run = service.PurgeOnceAsync(CancellationToken.None);

        // A pause armed on the fake clock is a batch finished: advance only then.
        var pause = TimeSpan.FromSeconds(1);
        await _time.WaitForTimerAsync(pause);
        (await store.ListMessagesAsync(new())).Items.Should().HaveCount(3);
        run.IsCompleted.Should().BeFalse("the run pauses after a full batch");
        _time.Advance(pause);
        await _time.WaitForTimerAsync(pause);
        (await store.ListMessagesAsync(new())).Items.Should().HaveCount(1);
        _time.Advance(pause);

        (await run.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(5);
    }

    private SqliteRetentionService Service(SqliteWebhookStore store, SqliteWebhookStoreOptions options) =>
        new(store, Options.Create(options), _time, NullLogger<SqliteRetentionService>.Instance);

    private WebhookMessage Message(string id) => new()
    {
        Id = id,
        EventType = "order.created",
        Payload = Encoding.UTF8.GetBytes("{}"),
        CreatedAt = _time.GetUtcNow(),
    };
}
