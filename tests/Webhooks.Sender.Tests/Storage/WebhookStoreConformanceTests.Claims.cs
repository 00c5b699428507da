using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Storage;

/// <summary>Claims capped per subscription, retry aging and batched releases.</summary>
public abstract partial class WebhookStoreConformanceTests
{
    [Fact]
    public async Task Claim_MaxPerSubscription_CapsEachSubscriptionInDueOrderAndLeavesTheRestAsTheyWere()
    {
        var store = await CreateStoreAsync(Time);
        var now = Time.GetUtcNow();
        var a1 = await EnqueueOneAsync(store, "sub_a", now.AddSeconds(-10));
        var b1 = await EnqueueOneAsync(store, "sub_b", now.AddSeconds(-9));
        var a2 = await EnqueueOneAsync(store, "sub_a", now.AddSeconds(-8));
        var a3 = await EnqueueOneAsync(store, "sub_a", now.AddSeconds(-7));
        var b2 = await EnqueueOneAsync(store, "sub_b", now.AddSeconds(-6));
        var c1 = await EnqueueOneAsync(store, "sub_c", now.AddSeconds(-5));

        var claims = await store.ClaimAsync(Claim(10) with { MaxPerSubscription = 2 });

        claims.Select(c => c.Delivery.Id).Should().Equal(a1.Id, b1.Id, a2.Id, b2.Id, c1.Id);
        var left = await store.GetDeliveryAsync(a3.Id);
        left!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        left.LeaseId.Should().BeNull();
        left.NextAttemptAt.Should().Be(a3.NextAttemptAt);
        (await store.ClaimAsync(Claim(10) with { MaxPerSubscription = 2 })).Select(c => c.Delivery.Id).Should().Equal(a3.Id);
    }

    [Fact]
    public async Task Claim_MaxCountReachedUnderCaps_TakesTheEarliestAllowedOnes()
    {
        var store = await CreateStoreAsync(Time);
        var now = Time.GetUtcNow();
        var a1 = await EnqueueOneAsync(store, "sub_a", now.AddSeconds(-10));
        var a2 = await EnqueueOneAsync(store, "sub_a", now.AddSeconds(-9));
        await EnqueueOneAsync(store, "sub_a", now.AddSeconds(-8));
        var b1 = await EnqueueOneAsync(store, "sub_b", now.AddSeconds(-7));
        await EnqueueOneAsync(store, "sub_b", now.AddSeconds(-6));

        var claims = await store.ClaimAsync(Claim(3) with { MaxPerSubscription = 2 });

        claims.Select(c => c.Delivery.Id).Should().Equal(a1.Id, a2.Id, b1.Id);
    }

    [Fact]
    public async Task Claim_SubscriptionCapacity_OverridesTheCap_AndZeroTakesNone()
    {
        var store = await CreateStoreAsync(Time);
        var now = Time.GetUtcNow();
        var a = new List<WebhookDelivery>();
        var b = new List<WebhookDelivery>();
        var c = new List<WebhookDelivery>();
        for (var i = 0; i < 3; i++)
        {
            a.Add(await EnqueueOneAsync(store, "sub_a", now.AddSeconds(-30 + i)));
            b.Add(await EnqueueOneAsync(store, "sub_b", now.AddSeconds(-20 + i)));
            c.Add(await EnqueueOneAsync(store, "sub_c", now.AddSeconds(-10 + i)));
        }

        var claims = await store.ClaimAsync(Claim(10) with
        {
            MaxPerSubscription = 2,
            SubscriptionCapacity = new Dictionary<string, int> { ["sub_a"] = 1, ["sub_b"] = 0, ["sub_c"] = 3 },
        });

        claims.Select(x => x.Delivery.Id).Should().Equal(a[0].Id, c[0].Id, c[1].Id, c[2].Id);
        (await store.GetDeliveryAsync(b[0].Id))!.Status.Should().Be(WebhookDeliveryStatus.Pending);
    }

    [Fact]
    public async Task Claim_ExcludedAndCappedSubscriptions_LeaveRoomForLaterOnes()
    {
        var store = await CreateStoreAsync(Time);
        var now = Time.GetUtcNow();
        for (var i = 0; i < 20; i++)
        {
            await EnqueueOneAsync(store, "sub_a", now.AddMinutes(-10).AddSeconds(i));
        }

        var b1 = await EnqueueOneAsync(store, "sub_b", now.AddMinutes(-5));
        await EnqueueOneAsync(store, "sub_b", now.AddMinutes(-4));
        var c1 = await EnqueueOneAsync(store, "sub_c", now.AddMinutes(-3));
        var c2 = await EnqueueOneAsync(store, "sub_c", now.AddMinutes(-2));
        await EnqueueOneAsync(store, "sub_c", now.AddMinutes(-1));

        var claims = await store.ClaimAsync(Claim(3) with
        {
            ExcludedSubscriptionIds = ["sub_a"],
            SubscriptionCapacity = new Dictionary<string, int> { ["sub_b"] = 1 },
            MaxPerSubscription = 2,
        });

        claims.Select(x => x.Delivery.Id).Should().Equal(b1.Id, c1.Id, c2.Id);
    }

    [Fact]
    public async Task Claim_ExpiredLeases_CountAgainstTheCap()
    {
        var store = await CreateStoreAsync(Time);
        var first = await EnqueueOneAsync(store, "sub_a");
        await store.ClaimAsync(Claim(1));
        Time.Advance(Lease);
        var second = await EnqueueOneAsync(store, "sub_a");

        var claims = await store.ClaimAsync(Claim(10) with { MaxPerSubscription = 1 });

        claims.Select(x => x.Delivery.Id).Should().Equal(first.Id);
        (await store.GetDeliveryAsync(second.Id))!.Status.Should().Be(WebhookDeliveryStatus.Pending);
    }

    [Fact]
    public async Task Claim_RetryDueLongerThanTheAgingThreshold_RanksWithFirstAttemptsByDueTime()
    {
        var store = await CreateStoreAsync(Time);
        var aged = await MakeRetryAsync(store, "sub_r1", TimeSpan.FromMinutes(10));
        var young = await MakeRetryAsync(store, "sub_r2", TimeSpan.FromMinutes(1));
        var now = Time.GetUtcNow();
        var older = await EnqueueOneAsync(store, "sub_f", now.AddMinutes(-20));
        var fresh = await EnqueueOneAsync(store, "sub_f", now.AddMinutes(-5));

        var claims = await store.ClaimAsync(Claim(10) with { RetryAgingThreshold = TimeSpan.FromMinutes(5) });

        claims.Select(x => x.Delivery.Id).Should().Equal(older.Id, aged.Id, fresh.Id, young.Id);
    }

    [Fact]
    public async Task Claim_WithoutAnAgingThreshold_PutsEveryRetryAfterFirstAttempts()
    {
        var store = await CreateStoreAsync(Time);
        var aged = await MakeRetryAsync(store, "sub_r", TimeSpan.FromDays(1));
        var fresh = await EnqueueOneAsync(store, "sub_f");

        var claims = await store.ClaimAsync(Claim(10));

        claims.Select(x => x.Delivery.Id).Should().Equal(fresh.Id, aged.Id);
    }

    [Fact]
    public async Task Claim_AgedRetries_ShareTheCapWithFirstAttemptsOfTheirSubscription()
    {
        var store = await CreateStoreAsync(Time);
        var aged = await MakeRetryAsync(store, "sub_a", TimeSpan.FromMinutes(10));
        var fresh = await EnqueueOneAsync(store, "sub_a");
        var other = await EnqueueOneAsync(store, "sub_b");

        var claims = await store.ClaimAsync(Claim(10) with { RetryAgingThreshold = TimeSpan.FromMinutes(5), MaxPerSubscription = 1 });

        claims.Select(x => x.Delivery.Id).Should().Equal(aged.Id, other.Id);
        (await store.GetDeliveryAsync(fresh.Id))!.Status.Should().Be(WebhookDeliveryStatus.Pending);
    }

    [Fact]
    public async Task ReleaseMany_ReleasesEachHeldLease_AndCountsOnlyThose()
    {
        var store = await CreateStoreAsync(Time);
        var original = await EnqueueOneAsync(store, "sub_a");
        await EnqueueOneAsync(store, "sub_b");
        await EnqueueOneAsync(store, "sub_c");
        var claims = await store.ClaimAsync(Claim(3));
        var later = Time.GetUtcNow().AddMinutes(5);

        var released = await store.ReleaseManyAsync(
        [
            new WebhookDeliveryRelease(claims[0].Delivery.Id, claims[0].Delivery.LeaseId!),
            new WebhookDeliveryRelease(claims[1].Delivery.Id, "not-the-lease"),
            new WebhookDeliveryRelease(claims[2].Delivery.Id, claims[2].Delivery.LeaseId!, later),
            new WebhookDeliveryRelease("dlv_unknown", "lease"),
        ]);

        released.Should().Be(2);
        var first = await store.GetDeliveryAsync(claims[0].Delivery.Id);
        first!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        first.NextAttemptAt.Should().Be(original.NextAttemptAt);
        first.AttemptCount.Should().Be(0);
        (await store.GetDeliveryAsync(claims[1].Delivery.Id))!.Status.Should().Be(WebhookDeliveryStatus.InFlight);
        var third = await store.GetDeliveryAsync(claims[2].Delivery.Id);
        third!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        third.NextAttemptAt.Should().Be(later);
        (await store.ClaimAsync(Claim(10))).Select(c => c.Delivery.Id).Should().Equal(claims[0].Delivery.Id);
    }

    [Fact]
    public async Task ReleaseMany_AfterTheLeaseWasLostToAnotherClaim_ReleasesNothing()
    {
        var store = await CreateStoreAsync(Time);
        await EnqueueOneAsync(store, "sub_a");
        var stale = (await store.ClaimAsync(Claim(1))).Single();
        Time.Advance(Lease);
        var current = (await store.ClaimAsync(Claim(1, "worker-2"))).Single();

        var released = await store.ReleaseManyAsync([new WebhookDeliveryRelease(stale.Delivery.Id, stale.Delivery.LeaseId!)]);

        released.Should().Be(0);
        var d = await store.GetDeliveryAsync(stale.Delivery.Id);
        d!.Status.Should().Be(WebhookDeliveryStatus.InFlight);
        d.LeaseId.Should().Be(current.Delivery.LeaseId);
        (await store.ReleaseManyAsync([])).Should().Be(0);
    }

    /// <summary>Makes a delivery that failed once and whose retry has been due for <paramref name="dueFor"/>.</summary>
    private async Task<WebhookDelivery> MakeRetryAsync(IWebhookStore store, string subscriptionId, TimeSpan dueFor)
    {
        var delivery = await EnqueueOneAsync(store, subscriptionId);
        var claim = (await store.ClaimAsync(Claim(1))).Single(c => c.Delivery.Id == delivery.Id);
        (await store.CompleteAsync(Retry(claim, Time.GetUtcNow() - dueFor))).Should().Be(WebhookCompletionResult.Completed);
        return delivery;
    }
}
