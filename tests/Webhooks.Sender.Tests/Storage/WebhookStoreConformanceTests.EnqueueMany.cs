using Webhooks.Sender.Storage;

namespace Webhooks.Sender.Tests.Storage;

/// <summary>Conformance cases for <see cref="IWebhookStore.EnqueueManyAsync"/> (batch publishing and group commit).</summary>
public abstract partial class WebhookStoreConformanceTests
{
    [Fact]
    public async Task EnqueueMany_StoresEveryMessageWithItsDeliveriesAndAnswersInOrder()
    {
        var store = await CreateStoreAsync(Time);
        var first = NewMessage("acme");
        var second = NewMessage();
        var third = NewMessage("globex");
        var items = new[]
        {
            new WebhookEnqueueItem(first, [NewDelivery(first, "sub_a"), NewDelivery(first, "sub_b")]),
            new WebhookEnqueueItem(second, []),
            new WebhookEnqueueItem(third, [NewDelivery(third, "sub_c")]),
        };

        var results = await store.EnqueueManyAsync(items);

        results.Should().Equal(
            new WebhookEnqueueResult(first.Id, Duplicate: false),
            new WebhookEnqueueResult(second.Id, Duplicate: false),
            new WebhookEnqueueResult(third.Id, Duplicate: false));
        (await store.GetMessageAsync(second.Id)).Should().NotBeNull();
        var loaded = await store.GetMessageAsync(third.Id);
        loaded!.TenantId.Should().Be("globex");
        loaded.Payload.ToArray().Should().Equal(third.Payload.ToArray());
        (await store.ListDeliveriesAsync(new() { MessageId = first.Id })).Items.Select(d => d.SubscriptionId)
            .Should().BeEquivalentTo(["sub_a", "sub_b"]);
        (await store.CountUnfinishedAsync()).Should().Be(3);
        var claimed = await store.ClaimAsync(Claim(10));
        claimed.Select(c => c.Delivery.MessageId).Should().BeEquivalentTo([first.Id, first.Id, third.Id]);
    }

    [Fact]
    public async Task EnqueueMany_WithNoItems_ReturnsNothing()
    {
        var store = await CreateStoreAsync(Time);

        var results = await store.EnqueueManyAsync([]);

        results.Should().BeEmpty();
        (await store.CountUnfinishedAsync()).Should().Be(0);
    }

    [Fact]
    public async Task EnqueueMany_AnIdempotencyKeySeenBeforeOrEarlierInTheBatch_IsADuplicateOfTheFirst()
    {
        var store = await CreateStoreAsync(Time);
        var earlier = NewMessage("acme") with { IdempotencyKey = "k-1" };
        await EnqueueAsync(store, earlier, "sub_a");
        var repeat = NewMessage("acme") with { IdempotencyKey = "k-1" };
        var fresh = NewMessage("acme") with { IdempotencyKey = "k-2" };
        var freshAgain = NewMessage("acme") with { IdempotencyKey = "k-2" };
        var otherTenant = NewMessage("globex") with { IdempotencyKey = "k-2" };

        var results = await store.EnqueueManyAsync(
        [
            new WebhookEnqueueItem(repeat, [NewDelivery(repeat, "sub_a")]),
            new WebhookEnqueueItem(fresh, [NewDelivery(fresh, "sub_a")]),
            new WebhookEnqueueItem(freshAgain, [NewDelivery(freshAgain, "sub_a")]),
            new WebhookEnqueueItem(otherTenant, [NewDelivery(otherTenant, "sub_b")]),
        ]);

        results.Should().Equal(
            new WebhookEnqueueResult(earlier.Id, Duplicate: true),
            new WebhookEnqueueResult(fresh.Id, Duplicate: false),
            new WebhookEnqueueResult(fresh.Id, Duplicate: true),
            new WebhookEnqueueResult(otherTenant.Id, Duplicate: false));
        (await store.GetMessageAsync(repeat.Id)).Should().BeNull();
        (await store.GetMessageAsync(freshAgain.Id)).Should().BeNull();
        (await store.CountUnfinishedAsync()).Should().Be(3);
    }

    [Fact]
    public async Task EnqueueMany_WhenOneItemConflicts_InsertsNoneOfTheBatch()
    {
        var store = await CreateStoreAsync(Time);
        var (_, existing) = await EnqueueAsync(store, NewMessage(), "sub_a");
        var good = NewMessage();
        var bad = NewMessage();

        var act = () => store.EnqueueManyAsync(
        [
            new WebhookEnqueueItem(good, [NewDelivery(good, "sub_b")]),
            new WebhookEnqueueItem(bad, [NewDelivery(bad, "sub_c") with { Id = existing[0].Id }]),
        ]);

        await act.Should().ThrowAsync<Exception>();
        (await store.GetMessageAsync(good.Id)).Should().BeNull();
        (await store.GetMessageAsync(bad.Id)).Should().BeNull();
        (await store.CountUnfinishedAsync()).Should().Be(1);
    }
}
