using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.Tests.Testing;
using Webhooks.Sender.PostgreSql.Tests.Testing;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql.Tests;

public sealed class PostgreSqlRetentionTests : IAsyncLifetime
{
    private readonly PostgresSchemas _schemas = new();
    private readonly TrackingTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schemas.DisposeAsync();

    [Fact]
    public async Task PurgeSucceeded_RemovesOnlyOldMessagesWhoseDeliveriesAllSucceeded()
    {
        var store = await _schemas.NewStoreAsync(_time);
        var data = new StoreData(_time);
        var allSucceeded = await data.EnqueueAsync(store, "sub_a", "sub_b");
        var oneFailed = await data.EnqueueAsync(store, "sub_a", "sub_c");
        var stillPending = await data.EnqueueAsync(store, "sub_d");
        var noDeliveries = await data.EnqueueAsync(store);
        foreach (var claim in await store.ClaimAsync(StoreData.Claim(10, "w") with { ExcludedSubscriptionIds = ["sub_d"] }))
        {
            var status = claim.Delivery.SubscriptionId == "sub_c" ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Succeeded;
            (await store.CompleteAsync(data.Completion(claim, status))).Should().Be(WebhookCompletionResult.Completed);
        }

        _time.Advance(TimeSpan.FromDays(8));
        var recent = await data.EnqueueAsync(store, "sub_e");
        var recentClaim = (await store.ClaimAsync(StoreData.Claim(10, "w") with { ExcludedSubscriptionIds = ["sub_d"] })).Single();
        await store.CompleteAsync(data.Completion(recentClaim, WebhookDeliveryStatus.Succeeded));

        var purged = await store.PurgeSucceededAsync(_time.GetUtcNow() - TimeSpan.FromDays(7), 100);

        purged.Should().Be(2);
        (await store.GetMessageAsync(allSucceeded.Message.Id)).Should().BeNull();
        (await store.GetMessageAsync(noDeliveries.Message.Id)).Should().BeNull();
        (await store.ListDeliveriesAsync(new() { MessageId = allSucceeded.Message.Id })).Items.Should().BeEmpty();
        (await store.ListAttemptsAsync(new() { MessageId = allSucceeded.Message.Id })).Items.Should().BeEmpty();
        (await store.GetMessageAsync(oneFailed.Message.Id)).Should().NotBeNull("a failed delivery keeps its message whole");
        (await store.ListDeliveriesAsync(new() { MessageId = oneFailed.Message.Id })).Items.Should().HaveCount(2);
        (await store.GetMessageAsync(stillPending.Message.Id)).Should().NotBeNull();
        (await store.GetMessageAsync(recent.Message.Id)).Should().NotBeNull("it is younger than the age limit");
    }

    [Fact]
    public async Task UsePostgreSql_PurgesSucceededMessagesOlderThanTheConfiguredAgeOnItsInterval()
    {
        var schema = _schemas.New();
        var store = await _schemas.NewStoreAsync(_time, schema);
        var data = new StoreData(_time);
        var old = await data.EnqueueAsync(store);
        _time.Advance(TimeSpan.FromDays(4));
        var younger = await data.EnqueueAsync(store);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddWebhookSender(o => o.DispatcherEnabled = false).UsePostgreSql(o =>
        {
            o.DataSource = PostgresTestDatabase.DataSource;
            o.Schema = schema;
            o.ListenForNotifications = false;
            o.SucceededRetention = TimeSpan.FromDays(3);
            o.RetentionInterval = TimeSpan.FromDays(1);
        });
        using var host = builder.Build();
        await host.StartAsync();

        // The service waits out its interval on the fake clock once a run is over: each armed timer is a finished run.
        var interval = TimeSpan.FromDays(1);
        await _time.WaitForTimerAsync(interval);
        (await store.GetMessageAsync(old.Message.Id)).Should().BeNull("the first run is at start-up");
        (await store.GetMessageAsync(younger.Message.Id)).Should().NotBeNull("it is younger than 3 days");
        for (var day = 0; day < 4 && await store.GetMessageAsync(younger.Message.Id) is not null; day++)
        {
            _time.Advance(interval);
            await _time.WaitForTimerAsync(interval);
        }

        (await store.GetMessageAsync(younger.Message.Id)).Should().BeNull("a run after it passed the age purges it");
        await host.StopAsync();
    }

    [Fact]
    public async Task PurgeSucceeded_WorksInBoundedBatches()
    {
        var store = await _schemas.NewStoreAsync(_time);
        var data = new StoreData(_time);
        for (var i = 0; i < 5; i++)
        {
            await data.EnqueueAsync(store);
        }

        _time.Advance(TimeSpan.FromDays(1));
        var before = _time.GetUtcNow();

        (await store.PurgeSucceededAsync(before, 2)).Should().Be(2);
        (await store.PurgeSucceededAsync(before, 2)).Should().Be(2);
        (await store.PurgeSucceededAsync(before, 2)).Should().Be(1);
        (await store.PurgeSucceededAsync(before, 2)).Should().Be(0);
    }

    [Fact]
    public async Task PurgeFailed_RemovesFailedDeliveriesOfTheSubscriptionAndMessagesLeftEmpty()
    {
        var store = await _schemas.NewStoreAsync(_time);
        var data = new StoreData(_time);
        var onlyFailed = await data.EnqueueAsync(store, "sub_a");
        var mixed = await data.EnqueueAsync(store, "sub_a", "sub_b");
        var otherSubscription = await data.EnqueueAsync(store, "sub_c");
        foreach (var claim in await store.ClaimAsync(StoreData.Claim(10, "w")))
        {
            var status = claim.Delivery.SubscriptionId == "sub_b" ? WebhookDeliveryStatus.Succeeded : WebhookDeliveryStatus.Failed;
            await store.CompleteAsync(data.Completion(claim, status));
        }

        _time.Advance(TimeSpan.FromHours(1));

        var purged = await store.PurgeFailedAsync(_time.GetUtcNow(), "sub_a", 100);

        purged.Should().Be(2);
        (await store.GetMessageAsync(onlyFailed.Message.Id)).Should().BeNull("its only delivery was purged");
        (await store.GetMessageAsync(mixed.Message.Id)).Should().NotBeNull();
        (await store.ListDeliveriesAsync(new() { MessageId = mixed.Message.Id })).Items.Should().ContainSingle().Which.SubscriptionId.Should().Be("sub_b");
        (await store.GetDeliveryAsync(otherSubscription.Deliveries[0].Id))!.Status.Should().Be(WebhookDeliveryStatus.Failed);
        (await store.PurgeFailedAsync(_time.GetUtcNow() - TimeSpan.FromDays(1), null, 100)).Should().Be(0, "the rest failed less than a day ago");
        (await store.PurgeFailedAsync(_time.GetUtcNow(), null, 100)).Should().Be(1);
    }
}
