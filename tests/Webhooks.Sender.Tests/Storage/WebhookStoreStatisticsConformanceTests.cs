using Microsoft.Extensions.Time.Testing;
using Webhooks.Core;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IWebhookStoreStatistics"/> must have. A store's test project subclasses this and
/// supplies <see cref="CreateStoreAsync"/>. Ids here are real time-sortable ids made on the fake clock, as the
/// publisher and the dispatcher make them, because the statistics bound their window by id.
/// </summary>
public abstract class WebhookStoreStatisticsConformanceTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Gets the clock the store was created with; tests move it forward.</summary>
    protected FakeTimeProvider Time { get; } = new(Start);

    /// <summary>Creates a fresh, empty store that reads the time from <paramref name="time"/>.</summary>
    /// <param name="time">The clock.</param>
    /// <returns>The store.</returns>
    protected abstract Task<IWebhookStore> CreateStoreAsync(TimeProvider time);

    [Fact]
    public async Task Statistics_EmptyStore_ReturnsOneEmptyBucketPerInterval()
    {
        var stats = await StatisticsAsync(await CreateStoreAsync(Time), Start, bucket: TimeSpan.FromMinutes(15), count: 8);

        stats.Pending.Should().Be(0);
        stats.InFlight.Should().Be(0);
        stats.OldestDueDeliveryId.Should().BeNull();
        stats.OldestDueAt.Should().BeNull();
        stats.Endpoints.Should().BeEmpty();
        stats.Buckets.Should().HaveCount(8);
        stats.Buckets.Select(b => b.Start).Should().Equal(Enumerable.Range(0, 8).Select(i => Start.AddMinutes(15 * i)));
        stats.Buckets.Should().OnlyContain(b => b.Total == 0);
    }

    [Fact]
    public async Task Statistics_DeliveriesInWindow_CountedInTheirCreationBucketByCurrentState()
    {
        var store = await CreateStoreAsync(Time);
        var before = await EnqueueAsync(store, "sub_a");                  // 00:00, before the window
        Time.Advance(TimeSpan.FromMinutes(70));                            // 01:10, bucket 0
        var ok = await EnqueueAsync(store, "sub_a");
        var failed = await EnqueueAsync(store, "sub_a");
        Time.Advance(TimeSpan.FromHours(2));                               // 03:10, bucket 2
        var waiting = await EnqueueAsync(store, "sub_a");
        await CompleteAsync(store, ok, succeeded: true, TimeSpan.FromMilliseconds(5));
        await CompleteAsync(store, failed, succeeded: false, TimeSpan.FromMilliseconds(5));
        await CompleteAsync(store, before, succeeded: true, TimeSpan.FromMilliseconds(5));
        Time.Advance(TimeSpan.FromHours(3));                               // 06:10, after the window

        var stats = await StatisticsAsync(store, Start.AddHours(1), bucket: TimeSpan.FromHours(1), count: 3);

        stats.Buckets.Select(b => (b.Succeeded, b.Failed, b.Unfinished)).Should().Equal((1L, 1L, 0L), (0L, 0L, 0L), (0L, 0L, 1L));
        stats.Pending.Should().Be(1, "the waiting delivery is pending whatever the window");
        stats.OldestDueDeliveryId.Should().Be(waiting);
    }

    [Fact]
    public async Task Statistics_Backlog_CountsPendingAndInFlightAndFindsTheDeliveryDueFirst()
    {
        var store = await CreateStoreAsync(Time);
        var first = await EnqueueAsync(store, "sub_a", due: Start.AddMinutes(-30));
        await EnqueueAsync(store, "sub_a", due: Start.AddMinutes(10));
        await EnqueueAsync(store, "sub_b", due: Start.AddMinutes(20));
        var claimed = await store.ClaimAsync(new() { LeaseOwner = "w", MaxCount = 1, LeaseDuration = TimeSpan.FromMinutes(1) });
        claimed.Should().ContainSingle().Which.Delivery.Id.Should().Be(first);

        var stats = await StatisticsAsync(store, Start.AddHours(-1), bucket: TimeSpan.FromHours(1), count: 2);

        stats.Pending.Should().Be(2);
        stats.InFlight.Should().Be(1);
        stats.OldestDueDeliveryId.Should().Be(first, "its lease expires at 00:01, before the others are due");
        stats.OldestDueAt.Should().Be(Start.AddMinutes(1));
        stats.Buckets.Sum(b => b.Unfinished).Should().Be(3);
    }

    [Fact]
    public async Task Statistics_Attempts_PerEndpointNearestRankPercentilesAndSuccessRate()
    {
        var store = await CreateStoreAsync(Time);
        for (var ms = 1; ms <= 20; ms++)
        {
            var id = await EnqueueAsync(store, "sub_a");
            await CompleteAsync(store, id, succeeded: ms % 4 != 0, TimeSpan.FromMilliseconds(ms));
        }

        var other = await EnqueueAsync(store, "sub_b");
        await CompleteAsync(store, other, succeeded: true, TimeSpan.FromMilliseconds(300));

        var stats = await StatisticsAsync(store, Start, bucket: TimeSpan.FromHours(1), count: 1);

        stats.Endpoints.Should().HaveCount(2);
        var a = stats.Endpoints[0];
        a.SubscriptionId.Should().Be("sub_a", "the busiest endpoint comes first");
        a.Attempts.Should().Be(20);
        a.SucceededAttempts.Should().Be(15);
        a.SuccessRate.Should().BeApproximately(0.75, 1e-9);
        a.P50.Should().Be(TimeSpan.FromMilliseconds(10));
        a.P95.Should().Be(TimeSpan.FromMilliseconds(19));
        stats.Endpoints[1].Should().Be(new WebhookEndpointStatistics("sub_b", 1, 1, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300)));
        stats.Buckets.Single().Succeeded.Should().Be(16);
        stats.Buckets.Single().Failed.Should().Be(5);
    }

    [Fact]
    public async Task Statistics_EndpointLimit_KeepsTheBusiest()
    {
        var store = await CreateStoreAsync(Time);
        foreach (var sub in new[] { "sub_a", "sub_b", "sub_b", "sub_c", "sub_c", "sub_c" })
        {
            await CompleteAsync(store, await EnqueueAsync(store, sub), succeeded: true, TimeSpan.FromMilliseconds(1));
        }

        var stats = await StatisticsAsync(store, Start, bucket: TimeSpan.FromHours(1), count: 1, endpoints: 2);

        stats.Endpoints.Select(e => e.SubscriptionId).Should().Equal("sub_c", "sub_b");
    }

    [Fact]
    public async Task Statistics_TenantQuery_SeesOnlyThatTenant()
    {
        var store = await CreateStoreAsync(Time);
        var mine = await EnqueueAsync(store, "sub_a", tenant: "acme");
        await CompleteAsync(store, mine, succeeded: true, TimeSpan.FromMilliseconds(2));
        await EnqueueAsync(store, "sub_a", tenant: "acme");
        var theirs = await EnqueueAsync(store, "sub_x", tenant: "globex", due: Start.AddHours(-1));
        await EnqueueAsync(store, "sub_y", tenant: null);
        await CompleteAsync(store, theirs, succeeded: false, TimeSpan.FromMilliseconds(9));

        var stats = await StatisticsAsync(store, Start, bucket: TimeSpan.FromHours(1), count: 1, tenant: "acme");

        stats.Pending.Should().Be(1);
        stats.Buckets.Single().Should().Be(new WebhookStatisticsBucket(Start, 1, 0, 1));
        stats.Endpoints.Select(e => e.SubscriptionId).Should().Equal("sub_a");
        stats.OldestDueDeliveryId.Should().NotBe(theirs);
    }

    [Theory]
    [InlineData(0, 24, 50)]
    [InlineData(60_000, 0, 50)]
    [InlineData(60_000, WebhookStatisticsQuery.MaxBuckets + 1, 50)]
    [InlineData(60_000, 24, -1)]
    public async Task Statistics_InvalidQuery_ThrowsArgumentOutOfRange(int bucketMs, int count, int endpoints)
    {
        var store = (IWebhookStoreStatistics)await CreateStoreAsync(Time);

        var act = () => store.GetStatisticsAsync(new() { Since = Start, BucketSize = TimeSpan.FromMilliseconds(bucketMs), BucketCount = count, EndpointLimit = endpoints });

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    private static Task<WebhookDeliveryStatistics> StatisticsAsync(IWebhookStore store, DateTimeOffset since, TimeSpan bucket, int count, string? tenant = null, int endpoints = 50) =>
        ((IWebhookStoreStatistics)store).GetStatisticsAsync(new() { Since = since, BucketSize = bucket, BucketCount = count, TenantId = tenant, EndpointLimit = endpoints });

    private async Task<string> EnqueueAsync(IWebhookStore store, string subscriptionId, string? tenant = null, DateTimeOffset? due = null)
    {
        var now = Time.GetUtcNow();
        var message = new WebhookMessage { Id = WebhookId.New(WebhookId.MessagePrefix, Time), TenantId = tenant, EventType = "order.created", Payload = "{}"u8.ToArray(), CreatedAt = now };
        var delivery = new WebhookDelivery
        {
            Id = WebhookId.New(WebhookId.DeliveryPrefix, Time),
            MessageId = message.Id,
            SubscriptionId = subscriptionId,
            TenantId = tenant,
            EventType = message.EventType,
            NextAttemptAt = due ?? now,
            CreatedAt = now,
        };
        await store.EnqueueAsync(message, [delivery]);
        return delivery.Id;
    }

    // Claims exactly this delivery (others are excluded by subscription or not yet due) and completes it with one attempt.
    private async Task CompleteAsync(IWebhookStore store, string deliveryId, bool succeeded, TimeSpan duration)
    {
        var delivery = (await store.GetDeliveryAsync(deliveryId))!;
        var saved = Time.GetUtcNow();
        var claim = await ClaimAsync(store, deliveryId, delivery.SubscriptionId);
        var attempt = new WebhookAttempt
        {
            Id = WebhookId.New(WebhookId.AttemptPrefix, Time),
            DeliveryId = deliveryId,
            MessageId = delivery.MessageId,
            SubscriptionId = delivery.SubscriptionId,
            TenantId = delivery.TenantId,
            AttemptNumber = 1,
            Url = "https://example.com/hooks",
            StartedAt = saved,
            Duration = duration,
            Succeeded = succeeded,
            Error = succeeded ? WebhookAttemptError.None : WebhookAttemptError.HttpStatus,
            StatusCode = succeeded ? 200 : 500,
        };
        var result = await store.CompleteAsync(new()
        {
            DeliveryId = deliveryId,
            LeaseId = claim.LeaseId!,
            Attempt = attempt,
            Status = succeeded ? WebhookDeliveryStatus.Succeeded : WebhookDeliveryStatus.Failed,
            FailureReason = succeeded ? null : "test",
        });
        result.Should().Be(WebhookCompletionResult.Completed);
    }

    private static async Task<WebhookDelivery> ClaimAsync(IWebhookStore store, string deliveryId, string subscriptionId)
    {
        // Claim everything due of the subscription, keep the wanted delivery and hand the others back unchanged.
        var claims = await store.ClaimAsync(new() { LeaseOwner = "t", MaxCount = 100, LeaseDuration = TimeSpan.FromMinutes(1), ExcludedSubscriptionIds = Excluded(subscriptionId) });
        WebhookDelivery? wanted = null;
        foreach (var claim in claims)
        {
            if (claim.Delivery.Id == deliveryId)
            {
                wanted = claim.Delivery;
            }
            else
            {
                (await store.ReleaseAsync(claim.Delivery.Id, claim.Delivery.LeaseId!)).Should().BeTrue();
            }
        }

        return wanted ?? throw new InvalidOperationException($"Delivery {deliveryId} was not due.");
    }

    private static string[] Excluded(string subscriptionId) =>
        new[] { "sub_a", "sub_b", "sub_c", "sub_x", "sub_y" }.Where(s => s != subscriptionId).ToArray();
}
