using System.Text;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Core;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IWebhookStore"/> must have. A store's test project subclasses this and supplies
/// <see cref="CreateStoreAsync"/>; every test gets a fresh, empty store bound to the given clock.
/// </summary>
public abstract partial class WebhookStoreConformanceTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private int _sequence;

    /// <summary>Gets the clock the store was created with; tests move it forward.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    /// <summary>Creates a fresh, empty store that reads the time from <paramref name="time"/>.</summary>
    /// <param name="time">The clock.</param>
    /// <returns>The store.</returns>
    protected abstract Task<IWebhookStore> CreateStoreAsync(TimeProvider time);

    // ---------------------------------------------------------------- subscriptions

    [Fact]
    public async Task Subscription_CreateThenGet_RoundTripsEveryField()
    {
        var store = await CreateStoreAsync(Time);
        var now = Time.GetUtcNow();
        var secretA = WebhookSecret.Generate();
        var secretB = WebhookSecret.Generate();
        var sub = NewSubscription("acme", ["order.*", "invoice.paid"]) with
        {
            Secrets = [new WebhookSubscriptionSecret(secretA, now), new WebhookSubscriptionSecret(secretB, now.AddDays(-1), now.AddHours(1))],
            Description = "orders",
            Metadata = new Dictionary<string, string> { ["owner"] = "team-a" },
            Headers = new Dictionary<string, string> { ["X-Custom"] = "1" },
            RateLimitPerSecond = 5,
            Enabled = false,
            DisabledReason = "410 Gone",
            CreatedAt = now,
            UpdatedAt = now.AddMinutes(1),
        };

        await store.CreateSubscriptionAsync(sub);
        var loaded = await store.GetSubscriptionAsync(sub.Id);

        loaded.Should().NotBeNull();
        loaded!.Id.Should().Be(sub.Id);
        loaded.TenantId.Should().Be("acme");
        loaded.Url.Should().Be(sub.Url);
        loaded.EventTypes.Should().Equal("order.*", "invoice.paid");
        loaded.Secrets.Should().HaveCount(2);
        loaded.Secrets[0].Secret.Should().Be(secretA);
        loaded.Secrets[0].ExpiresAt.Should().BeNull();
        loaded.Secrets[1].Secret.Should().Be(secretB);
        loaded.Secrets[1].CreatedAt.Should().Be(now.AddDays(-1));
        loaded.Secrets[1].ExpiresAt.Should().Be(now.AddHours(1));
        loaded.Description.Should().Be("orders");
        loaded.Metadata.Should().Equal(new Dictionary<string, string> { ["owner"] = "team-a" });
        loaded.Headers.Should().Equal(new Dictionary<string, string> { ["X-Custom"] = "1" });
        loaded.RateLimitPerSecond.Should().Be(5);
        loaded.Enabled.Should().BeFalse();
        loaded.DisabledReason.Should().Be("410 Gone");
        loaded.CreatedAt.Should().Be(now);
        loaded.UpdatedAt.Should().Be(now.AddMinutes(1));
    }

    [Fact]
    public async Task Subscription_CreateWithExistingId_Throws()
    {
        var store = await CreateStoreAsync(Time);
        var sub = NewSubscription();
        await store.CreateSubscriptionAsync(sub);

        var act = () => store.CreateSubscriptionAsync(sub with { Description = "again" });

        await act.Should().ThrowAsync<Exception>();
        (await store.GetSubscriptionAsync(sub.Id))!.Description.Should().BeNull();
    }

    [Fact]
    public async Task Subscription_UpdateAndDelete_ChangeTheStoredState()
    {
        var store = await CreateStoreAsync(Time);
        var sub = NewSubscription();
        await store.CreateSubscriptionAsync(sub);

        (await store.UpdateSubscriptionAsync(sub with { Url = new Uri("https://example.com/new"), EventTypes = ["a.b"] })).Should().BeTrue();
        var updated = await store.GetSubscriptionAsync(sub.Id);
        updated!.Url.Should().Be(new Uri("https://example.com/new"));
        updated.EventTypes.Should().Equal("a.b");

        (await store.DeleteSubscriptionAsync(sub.Id)).Should().BeTrue();
        (await store.GetSubscriptionAsync(sub.Id)).Should().BeNull();
        (await store.DeleteSubscriptionAsync(sub.Id)).Should().BeFalse();
        (await store.UpdateSubscriptionAsync(sub)).Should().BeFalse();
    }

    [Fact]
    public async Task FindSubscriptions_MatchesTenantEnabledAndEventTypeOnly()
    {
        var store = await CreateStoreAsync(Time);
        var all = NewSubscription("acme", []);
        var orders = NewSubscription("acme", ["order.*"]);
        var invoices = NewSubscription("acme", ["invoice.paid"]);
        var disabled = NewSubscription("acme", ["order.*"]) with { Enabled = false };
        var otherTenant = NewSubscription("globex", ["order.*"]);
        var noTenant = NewSubscription(null, ["order.*"]);
        foreach (var s in new[] { all, orders, invoices, disabled, otherTenant, noTenant })
        {
            await store.CreateSubscriptionAsync(s);
        }

        (await store.FindSubscriptionsAsync("acme", "order.created")).Select(s => s.Id).Should().BeEquivalentTo([all.Id, orders.Id]);
        (await store.FindSubscriptionsAsync("globex", "order.created")).Select(s => s.Id).Should().Equal(otherTenant.Id);
        (await store.FindSubscriptionsAsync(null, "order.created")).Select(s => s.Id).Should().Equal(noTenant.Id);
        (await store.FindSubscriptionsAsync("initech", "order.created")).Should().BeEmpty();
    }

    [Fact]
    public async Task ListSubscriptions_PagesByKeyNewestFirstWithoutGapsOrRepeats()
    {
        var store = await CreateStoreAsync(Time);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var s = NewSubscription();
            created.Add(s.Id);
            await store.CreateSubscriptionAsync(s);
        }

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await store.ListSubscriptionsAsync(new WebhookSubscriptionQuery { Limit = 2, After = after });
            page.Items.Count.Should().BeLessThanOrEqualTo(2);
            seen.AddRange(page.Items.Select(s => s.Id));
            after = page.ContinuationToken;
            pages++;
        }
        while (after is not null && pages < 10);

        seen.Should().Equal(created.AsEnumerable().Reverse());
        pages.Should().Be(3);
    }

    [Fact]
    public async Task ListSubscriptions_FiltersByTenantEnabledAndEventType()
    {
        var store = await CreateStoreAsync(Time);
        var a = NewSubscription("acme", ["order.*"]);
        var b = NewSubscription("acme", ["invoice.*"]) with { Enabled = false };
        var c = NewSubscription("globex", ["order.*"]);
        foreach (var s in new[] { a, b, c })
        {
            await store.CreateSubscriptionAsync(s);
        }

        (await store.ListSubscriptionsAsync(new() { TenantId = "acme" })).Items.Select(s => s.Id).Should().Equal(b.Id, a.Id);
        (await store.ListSubscriptionsAsync(new() { TenantId = "acme", Enabled = true })).Items.Select(s => s.Id).Should().Equal(a.Id);
        (await store.ListSubscriptionsAsync(new() { Enabled = false })).Items.Select(s => s.Id).Should().Equal(b.Id);
        (await store.ListSubscriptionsAsync(new() { EventType = "order.created" })).Items.Select(s => s.Id).Should().Equal(c.Id, a.Id);
    }

    // ---------------------------------------------------------------- enqueue

    [Fact]
    public async Task Enqueue_StoresTheMessageBytesOnceAndOnePendingDeliveryPerSubscription()
    {
        var store = await CreateStoreAsync(Time);
        var message = NewMessage();

        var (result, deliveries) = await EnqueueAsync(store, message, "sub_a", "sub_b", "sub_c");

        result.Should().Be(new WebhookEnqueueResult(message.Id, Duplicate: false));
        var loaded = await store.GetMessageAsync(message.Id);
        loaded!.Payload.ToArray().Should().Equal(message.Payload.ToArray());
        loaded.EventType.Should().Be(message.EventType);
        loaded.TraceParent.Should().Be(message.TraceParent);
        loaded.CreatedAt.Should().Be(message.CreatedAt);
        var stored = await store.ListDeliveriesAsync(new() { MessageId = message.Id });
        stored.Items.Select(d => d.Id).Should().BeEquivalentTo(deliveries.Select(d => d.Id));
        stored.Items.Should().OnlyContain(d => d.Status == WebhookDeliveryStatus.Pending && d.AttemptCount == 0);
        (await store.CountUnfinishedAsync()).Should().Be(3);
    }

    [Fact]
    public async Task Enqueue_WithNoDeliveries_StoresTheMessage()
    {
        var store = await CreateStoreAsync(Time);
        var message = NewMessage();

        await EnqueueAsync(store, message);

        (await store.GetMessageAsync(message.Id)).Should().NotBeNull();
        (await store.CountUnfinishedAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Enqueue_WhenOneDeliveryConflicts_InsertsNothing()
    {
        var store = await CreateStoreAsync(Time);
        var (_, first) = await EnqueueAsync(store, NewMessage(), "sub_a");
        var second = NewMessage();
        var deliveries = new[] { NewDelivery(second, "sub_b"), NewDelivery(second, "sub_c") with { Id = first[0].Id } };

        var act = () => store.EnqueueAsync(second, deliveries);

        await act.Should().ThrowAsync<Exception>();
        (await store.GetMessageAsync(second.Id)).Should().BeNull();
        (await store.ListDeliveriesAsync(new() { SubscriptionId = "sub_b" })).Items.Should().BeEmpty();
        (await store.CountUnfinishedAsync()).Should().Be(1);
    }

    [Fact]
    public async Task Enqueue_SameIdempotencyKeyAndTenant_ReturnsTheFirstMessageAndInsertsNothing()
    {
        var store = await CreateStoreAsync(Time);
        var first = NewMessage("acme") with { IdempotencyKey = "order-42" };
        var again = NewMessage("acme") with { IdempotencyKey = "order-42" };
        var otherTenant = NewMessage("globex") with { IdempotencyKey = "order-42" };

        await EnqueueAsync(store, first, "sub_a");
        var (duplicate, _) = await EnqueueAsync(store, again, "sub_a");
        var (other, _) = await EnqueueAsync(store, otherTenant, "sub_b");

        duplicate.Should().Be(new WebhookEnqueueResult(first.Id, Duplicate: true));
        other.Should().Be(new WebhookEnqueueResult(otherTenant.Id, Duplicate: false));
        (await store.GetMessageAsync(again.Id)).Should().BeNull();
        (await store.CountUnfinishedAsync()).Should().Be(2);
    }

    // ---------------------------------------------------------------- claim

    [Fact]
    public async Task Claim_TakesOnlyDueDeliveriesInDueTimeOrder()
    {
        var store = await CreateStoreAsync(Time);
        var now = Time.GetUtcNow();
        var late = await EnqueueOneAsync(store, "sub_a", now.AddSeconds(-1));
        var early = await EnqueueOneAsync(store, "sub_b", now.AddSeconds(-10));
        var future = await EnqueueOneAsync(store, "sub_c", now.AddSeconds(30));

        var claims = await store.ClaimAsync(Claim(10));

        claims.Select(c => c.Delivery.Id).Should().Equal(early.Id, late.Id);
        claims.Should().OnlyContain(c => c.Delivery.Status == WebhookDeliveryStatus.InFlight
            && c.Delivery.LeaseOwner == "worker-1"
            && c.Delivery.LeaseId != null
            && c.Delivery.LeaseExpiresAt == now + Lease);
        claims[0].Message.Id.Should().Be(early.MessageId);
        claims[0].Message.Payload.ToArray().Should().NotBeEmpty();
        (await store.GetNextDueTimeAsync()).Should().Be(future.NextAttemptAt);
    }

    [Fact]
    public async Task Claim_HonoursMaxCountAndExcludedSubscriptions()
    {
        var store = await CreateStoreAsync(Time);
        var a = await EnqueueOneAsync(store, "sub_a");
        var b = await EnqueueOneAsync(store, "sub_b");
        await EnqueueOneAsync(store, "sub_c");

        var first = await store.ClaimAsync(Claim(1) with { ExcludedSubscriptionIds = ["sub_a"] });

        first.Select(c => c.Delivery.Id).Should().Equal(b.Id);
        var rest = await store.ClaimAsync(Claim(10) with { ExcludedSubscriptionIds = ["sub_c"] });
        rest.Select(c => c.Delivery.Id).Should().Equal(a.Id);
    }

    [Fact]
    public async Task Claim_IsExclusiveUntilTheLeaseExpires_ThenReclaimableWithANewLease()
    {
        var store = await CreateStoreAsync(Time);
        var d = await EnqueueOneAsync(store, "sub_a");
        var first = await store.ClaimAsync(Claim(10));

        (await store.ClaimAsync(Claim(10, "worker-2"))).Should().BeEmpty();
        Time.Advance(Lease - TimeSpan.FromSeconds(1));
        (await store.ClaimAsync(Claim(10, "worker-2"))).Should().BeEmpty();
        (await store.GetNextDueTimeAsync()).Should().Be(first[0].Delivery.LeaseExpiresAt);

        Time.Advance(TimeSpan.FromSeconds(1));
        var second = await store.ClaimAsync(Claim(10, "worker-2"));

        second.Select(c => c.Delivery.Id).Should().Equal(d.Id);
        second[0].Delivery.LeaseId.Should().NotBe(first[0].Delivery.LeaseId);
        second[0].Delivery.LeaseOwner.Should().Be("worker-2");
    }

    [Fact]
    public async Task Claim_ConcurrentClaims_NeverHandOutADeliveryTwice()
    {
        var store = await CreateStoreAsync(Time);
        for (var i = 0; i < 40; i++)
        {
            await EnqueueOneAsync(store, $"sub_{i:D3}");
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.ClaimAsync(Claim(7, $"worker-{i}")))));

        var ids = claims.SelectMany(c => c).Select(c => c.Delivery.Id).ToList();
        ids.Should().OnlyHaveUniqueItems();
        ids.Should().HaveCount(40);
    }

    [Fact]
    public async Task Claim_PutsFirstAttemptsBeforeRetries()
    {
        var store = await CreateStoreAsync(Time);
        var retry = await EnqueueOneAsync(store, "sub_a", Time.GetUtcNow().AddMinutes(-5));
        var claimed = (await store.ClaimAsync(Claim(1))).Single();
        (await store.CompleteAsync(Retry(claimed, Time.GetUtcNow().AddSeconds(-1)))).Should().Be(WebhookCompletionResult.Completed);
        Time.Advance(TimeSpan.FromSeconds(1));
        var fresh = await EnqueueOneAsync(store, "sub_b", Time.GetUtcNow());

        var next = await store.ClaimAsync(Claim(1));
        var after = await store.ClaimAsync(Claim(1));

        next.Single().Delivery.Id.Should().Be(fresh.Id);
        after.Single().Delivery.Id.Should().Be(retry.Id);
        after.Single().Delivery.AttemptCount.Should().Be(1);
    }

    // ---------------------------------------------------------------- complete and release

    [Fact]
    public async Task Complete_WithTheLease_LogsTheAttemptAndSchedulesTheRetry()
    {
        var store = await CreateStoreAsync(Time);
        await EnqueueOneAsync(store, "sub_a");
        var claim = (await store.ClaimAsync(Claim(1))).Single();
        var retryAt = Time.GetUtcNow().AddSeconds(5);
        var completion = Retry(claim, retryAt);

        (await store.CompleteAsync(completion)).Should().Be(WebhookCompletionResult.Completed);

        var d = await store.GetDeliveryAsync(claim.Delivery.Id);
        d!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        d.AttemptCount.Should().Be(1);
        d.NextAttemptAt.Should().Be(retryAt);
        d.LastStatusCode.Should().Be(503);
        d.LastAttemptAt.Should().Be(completion.Attempt!.StartedAt);
        d.CompletedAt.Should().BeNull();
        var attempts = await store.ListAttemptsAsync(new() { DeliveryId = d.Id });
        var attempt = attempts.Items.Should().ContainSingle().Subject;
        attempt.Id.Should().Be(completion.Attempt.Id);
        attempt.StatusCode.Should().Be(503);
        attempt.Error.Should().Be(WebhookAttemptError.HttpStatus);
        attempt.Duration.Should().Be(TimeSpan.FromMilliseconds(120));
        attempt.ResponseHeaders.Should().Contain("Retry-After", "5");
        attempt.ResponseExcerpt.Should().Be("busy");
        attempt.Url.Should().Be("https://example.com/hooks");
        (await store.ClaimAsync(Claim(1))).Should().BeEmpty();
        Time.Advance(TimeSpan.FromSeconds(5));
        (await store.ClaimAsync(Claim(1))).Should().ContainSingle();
    }

    [Fact]
    public async Task Complete_Twice_IsIdempotent()
    {
        var store = await CreateStoreAsync(Time);
        await EnqueueOneAsync(store, "sub_a");
        var claim = (await store.ClaimAsync(Claim(1))).Single();
        var completion = Success(claim);

        (await store.CompleteAsync(completion)).Should().Be(WebhookCompletionResult.Completed);
        (await store.CompleteAsync(completion)).Should().Be(WebhookCompletionResult.AlreadyCompleted);

        var d = await store.GetDeliveryAsync(claim.Delivery.Id);
        d!.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        d.AttemptCount.Should().Be(1);
        d.CompletedAt.Should().Be(Time.GetUtcNow());
        (await store.ListAttemptsAsync(new() { DeliveryId = d.Id })).Items.Should().ContainSingle();
        (await store.CountUnfinishedAsync()).Should().Be(0);
        (await store.GetNextDueTimeAsync()).Should().BeNull();
    }

    [Fact]
    public async Task Complete_ByALateWorkerAfterAReclaim_IsRejectedAndKeepsTheNewerOutcome()
    {
        var store = await CreateStoreAsync(Time);
        await EnqueueOneAsync(store, "sub_a");
        var stale = (await store.ClaimAsync(Claim(1, "worker-1"))).Single();
        Time.Advance(Lease);
        var fresh = (await store.ClaimAsync(Claim(1, "worker-2"))).Single();
        (await store.CompleteAsync(Success(fresh))).Should().Be(WebhookCompletionResult.Completed);

        var late = await store.CompleteAsync(Failure(stale, "too late"));

        late.Should().Be(WebhookCompletionResult.LeaseLost);
        var d = await store.GetDeliveryAsync(fresh.Delivery.Id);
        d!.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        d.FailureReason.Should().BeNull();
        (await store.ListAttemptsAsync(new() { DeliveryId = d.Id })).Items.Should().ContainSingle();
    }

    [Fact]
    public async Task Complete_UnknownDelivery_ReturnsNotFound()
    {
        var store = await CreateStoreAsync(Time);

        var result = await store.CompleteAsync(new WebhookDeliveryCompletion { DeliveryId = "dlv_missing", LeaseId = "x", Status = WebhookDeliveryStatus.Succeeded });

        result.Should().Be(WebhookCompletionResult.NotFound);
    }

    [Fact]
    public async Task Complete_Failed_IsFinalWithTheReason()
    {
        var store = await CreateStoreAsync(Time);
        await EnqueueOneAsync(store, "sub_a");
        var claim = (await store.ClaimAsync(Claim(1))).Single();

        (await store.CompleteAsync(Failure(claim, "retries exhausted"))).Should().Be(WebhookCompletionResult.Completed);

        var d = await store.GetDeliveryAsync(claim.Delivery.Id);
        d!.Status.Should().Be(WebhookDeliveryStatus.Failed);
        d.FailureReason.Should().Be("retries exhausted");
        d.CompletedAt.Should().NotBeNull();
        Time.Advance(TimeSpan.FromDays(1));
        (await store.ClaimAsync(Claim(10))).Should().BeEmpty();
    }

    [Fact]
    public async Task CompleteMany_AppliesEachOutcomeAndReturnsOneResultPerCompletionInOrder()
    {
        var store = await CreateStoreAsync(Time);
        var claims = await EnqueueAndClaimAsync(store, 4);
        var retryAt = Time.GetUtcNow().AddSeconds(30);
        var batch = new[]
        {
            Success(claims[0]),
            Retry(claims[1], retryAt),
            Failure(claims[2], "retries exhausted"),
            new WebhookDeliveryCompletion { DeliveryId = "dlv_missing", LeaseId = "x", Status = WebhookDeliveryStatus.Succeeded },
            Success(claims[3]) with { LeaseId = "not-the-lease" },
        };

        var results = await store.CompleteManyAsync(batch);

        results.Should().Equal(
            WebhookCompletionResult.Completed,
            WebhookCompletionResult.Completed,
            WebhookCompletionResult.Completed,
            WebhookCompletionResult.NotFound,
            WebhookCompletionResult.LeaseLost);
        (await store.GetDeliveryAsync(claims[0].Delivery.Id))!.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        var retried = await store.GetDeliveryAsync(claims[1].Delivery.Id);
        retried!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        retried.NextAttemptAt.Should().Be(retryAt);
        retried.AttemptCount.Should().Be(1);
        retried.LastStatusCode.Should().Be(503);
        var failed = await store.GetDeliveryAsync(claims[2].Delivery.Id);
        failed!.Status.Should().Be(WebhookDeliveryStatus.Failed);
        failed.FailureReason.Should().Be("retries exhausted");
        (await store.GetDeliveryAsync(claims[3].Delivery.Id))!.Status.Should().Be(WebhookDeliveryStatus.InFlight);
        foreach (var claim in claims.Take(3))
        {
            (await store.ListAttemptsAsync(new() { DeliveryId = claim.Delivery.Id })).Items.Should().ContainSingle()
                .Which.Id.Should().Be(batch.Single(c => c.DeliveryId == claim.Delivery.Id).Attempt!.Id);
        }

        (await store.ListAttemptsAsync(new() { DeliveryId = claims[3].Delivery.Id })).Items.Should().BeEmpty();
        (await store.CountUnfinishedAsync()).Should().Be(2);
    }

    [Fact]
    public async Task CompleteMany_TheSameDeliveryTwice_CompletesOnceAndLogsOneAttempt()
    {
        var store = await CreateStoreAsync(Time);
        await EnqueueOneAsync(store, "sub_a");
        var claim = (await store.ClaimAsync(Claim(1))).Single();
        var completion = Success(claim);

        var results = await store.CompleteManyAsync([completion, completion]);

        results.Should().Equal(WebhookCompletionResult.Completed, WebhookCompletionResult.AlreadyCompleted);
        var d = await store.GetDeliveryAsync(claim.Delivery.Id);
        d!.AttemptCount.Should().Be(1);
        (await store.ListAttemptsAsync(new() { DeliveryId = d.Id })).Items.Should().ContainSingle();
        (await store.CompleteManyAsync([completion])).Should().Equal(WebhookCompletionResult.AlreadyCompleted);
    }

    [Fact]
    public async Task CompleteMany_Empty_ReturnsNothing()
    {
        var store = await CreateStoreAsync(Time);

        (await store.CompleteManyAsync([])).Should().BeEmpty();
    }

    [Fact]
    public async Task CompleteMany_ACompletionLeavingTheDeliveryInFlight_IsRejectedBeforeAnythingIsWritten()
    {
        var store = await CreateStoreAsync(Time);
        await EnqueueOneAsync(store, "sub_a");
        await EnqueueOneAsync(store, "sub_a");
        var claims = await store.ClaimAsync(Claim(2));

        var act = () => store.CompleteManyAsync([Success(claims[0]), Success(claims[1]) with { Status = WebhookDeliveryStatus.InFlight }]);

        await act.Should().ThrowAsync<ArgumentException>();
        (await store.GetDeliveryAsync(claims[0].Delivery.Id))!.Status.Should().Be(WebhookDeliveryStatus.InFlight);
    }

    [Fact]
    public async Task CompleteMany_ALargeBatchMixingOutcomesAndCompletionsWithoutAttempts_AppliesEach()
    {
        var store = await CreateStoreAsync(Time);
        var subscriptions = Enumerable.Range(0, 200).Select(i => $"sub_{i:D3}").ToArray();
        var (_, deliveries) = await EnqueueAsync(store, NewMessage(), subscriptions);
        var claims = await store.ClaimAsync(Claim(200));
        claims.Should().HaveCount(200);
        var retryAt = Time.GetUtcNow().AddMinutes(5);
        var batch = claims.Select((claim, i) => (i % 4) switch
        {
            0 => Success(claim),
            1 => Retry(claim, retryAt),
            2 => Failure(claim, "retries exhausted"),
            _ => new WebhookDeliveryCompletion
            {
                DeliveryId = claim.Delivery.Id,
                LeaseId = claim.Delivery.LeaseId!,
                Status = WebhookDeliveryStatus.Failed,
                FailureReason = "subscription deleted",
            },
        }).ToArray();

        var results = await store.CompleteManyAsync(batch);

        results.Should().HaveCount(200).And.OnlyContain(r => r == WebhookCompletionResult.Completed);
        for (var i = 0; i < batch.Length; i++)
        {
            var d = await store.GetDeliveryAsync(batch[i].DeliveryId);
            d!.Status.Should().Be(batch[i].Status);
            d.AttemptCount.Should().Be(batch[i].Attempt is null ? 0 : 1);
            d.LastStatusCode.Should().Be(batch[i].Attempt?.StatusCode);
            d.FailureReason.Should().Be(batch[i].FailureReason);
            if (batch[i].Status == WebhookDeliveryStatus.Pending)
            {
                d.NextAttemptAt.Should().Be(retryAt);
            }
        }

        var attempts = await store.ListAttemptsAsync(new() { MessageId = deliveries[0].MessageId, Limit = WebhookQuery.MaxLimit });
        attempts.Items.Select(a => a.Id).Should().BeEquivalentTo(batch.Where(c => c.Attempt is not null).Select(c => c.Attempt!.Id));
        (await store.CountUnfinishedAsync()).Should().Be(50);
    }

    [Fact]
    public async Task CompleteMany_RepeatsAmongOtherDeliveries_BehaveAsSequentialCalls()
    {
        var store = await CreateStoreAsync(Time);
        var claims = await EnqueueAndClaimAsync(store, 3);
        var retryAt = Time.GetUtcNow().AddSeconds(30);
        var retryFirst = Retry(claims[0], retryAt);
        var batch = new[]
        {
            retryFirst,
            Success(claims[1]),
            Success(claims[0]),
            Success(claims[2]),
            Success(claims[1]) with { LeaseId = "not-the-lease" },
            new WebhookDeliveryCompletion { DeliveryId = "dlv_missing", LeaseId = "x", Status = WebhookDeliveryStatus.Succeeded },
            retryFirst,
        };

        var results = await store.CompleteManyAsync(batch);

        results.Should().Equal(
            WebhookCompletionResult.Completed,
            WebhookCompletionResult.Completed,
            WebhookCompletionResult.AlreadyCompleted,
            WebhookCompletionResult.Completed,
            WebhookCompletionResult.LeaseLost,
            WebhookCompletionResult.NotFound,
            WebhookCompletionResult.AlreadyCompleted);
        var first = await store.GetDeliveryAsync(claims[0].Delivery.Id);
        first!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        first.NextAttemptAt.Should().Be(retryAt);
        first.AttemptCount.Should().Be(1);
        (await store.GetDeliveryAsync(claims[1].Delivery.Id))!.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        (await store.GetDeliveryAsync(claims[2].Delivery.Id))!.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        foreach (var claim in claims)
        {
            (await store.ListAttemptsAsync(new() { DeliveryId = claim.Delivery.Id })).Items.Should().ContainSingle();
        }
    }

    [Fact]
    public async Task Complete_WithoutAnAttempt_ChangesStateButLogsNothing()
    {
        var store = await CreateStoreAsync(Time);
        await EnqueueOneAsync(store, "sub_a");
        var claim = (await store.ClaimAsync(Claim(1))).Single();

        var result = await store.CompleteAsync(new WebhookDeliveryCompletion
        {
            DeliveryId = claim.Delivery.Id,
            LeaseId = claim.Delivery.LeaseId!,
            Status = WebhookDeliveryStatus.Failed,
            FailureReason = "subscription deleted",
        });

        result.Should().Be(WebhookCompletionResult.Completed);
        var d = await store.GetDeliveryAsync(claim.Delivery.Id);
        d!.AttemptCount.Should().Be(0);
        d.FailureReason.Should().Be("subscription deleted");
        (await store.ListAttemptsAsync(new() { DeliveryId = d.Id })).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Release_WithTheLease_MakesTheDeliveryDueAgain()
    {
        var store = await CreateStoreAsync(Time);
        var original = await EnqueueOneAsync(store, "sub_a");
        var claim = (await store.ClaimAsync(Claim(1))).Single();

        (await store.ReleaseAsync(claim.Delivery.Id, "not-the-lease")).Should().BeFalse();
        (await store.ReleaseAsync(claim.Delivery.Id, claim.Delivery.LeaseId!)).Should().BeTrue();
        (await store.ReleaseAsync(claim.Delivery.Id, claim.Delivery.LeaseId!)).Should().BeFalse();

        var d = await store.GetDeliveryAsync(claim.Delivery.Id);
        d!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        d.NextAttemptAt.Should().Be(original.NextAttemptAt);
        d.AttemptCount.Should().Be(0);
        (await store.ClaimAsync(Claim(1))).Should().ContainSingle();
    }

    [Fact]
    public async Task Release_WithALaterDueTime_DefersTheDelivery()
    {
        var store = await CreateStoreAsync(Time);
        await EnqueueOneAsync(store, "sub_a");
        var claim = (await store.ClaimAsync(Claim(1))).Single();

        await store.ReleaseAsync(claim.Delivery.Id, claim.Delivery.LeaseId!, Time.GetUtcNow().AddSeconds(2));

        (await store.ClaimAsync(Claim(1))).Should().BeEmpty();
        (await store.GetNextDueTimeAsync()).Should().Be(Time.GetUtcNow().AddSeconds(2));
        (await store.CompleteAsync(Success(claim))).Should().Be(WebhookCompletionResult.AlreadyCompleted);
    }

    // ---------------------------------------------------------------- queries

    [Fact]
    public async Task ListMessages_FiltersByTenantTypeAndTime_AndPagesByKey()
    {
        var store = await CreateStoreAsync(Time);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var m = NewMessage("acme");
            ids.Add(m.Id);
            await EnqueueAsync(store, m);
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var other = NewMessage("globex") with { EventType = "invoice.paid" };
        await EnqueueAsync(store, other);

        var firstPage = await store.ListMessagesAsync(new() { TenantId = "acme", Limit = 3 });
        var secondPage = await store.ListMessagesAsync(new() { TenantId = "acme", Limit = 3, After = firstPage.ContinuationToken });

        firstPage.Items.Select(m => m.Id).Concat(secondPage.Items.Select(m => m.Id)).Should().Equal(ids.AsEnumerable().Reverse());
        secondPage.ContinuationToken.Should().BeNull();
        (await store.ListMessagesAsync(new() { EventType = "invoice.paid" })).Items.Select(m => m.Id).Should().Equal(other.Id);
        var start = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        (await store.ListMessagesAsync(new() { TenantId = "acme", Since = start.AddMinutes(1), Until = start.AddMinutes(3) }))
            .Items.Select(m => m.Id).Should().Equal(ids[2], ids[1]);
    }

    [Fact]
    public async Task ListDeliveries_FiltersBySubscriptionStatusTenantAndTime()
    {
        var store = await CreateStoreAsync(Time);
        var start = Time.GetUtcNow();
        var (_, first) = await EnqueueAsync(store, NewMessage("acme"), "sub_a", "sub_b");
        Time.Advance(TimeSpan.FromMinutes(1));
        var (_, second) = await EnqueueAsync(store, NewMessage("acme"), "sub_a");
        var (_, other) = await EnqueueAsync(store, NewMessage("globex"), "sub_c");
        var claim = (await store.ClaimAsync(Claim(10) with { ExcludedSubscriptionIds = ["sub_b", "sub_c"] })).First(c => c.Delivery.Id == first[0].Id);
        await store.CompleteAsync(Success(claim));

        (await store.ListDeliveriesAsync(new() { SubscriptionId = "sub_a" })).Items.Select(d => d.Id).Should().Equal(second[0].Id, first[0].Id);
        (await store.ListDeliveriesAsync(new() { Status = WebhookDeliveryStatus.Succeeded })).Items.Select(d => d.Id).Should().Equal(first[0].Id);
        (await store.ListDeliveriesAsync(new() { TenantId = "globex" })).Items.Select(d => d.Id).Should().Equal(other[0].Id);
        (await store.ListDeliveriesAsync(new() { TenantId = "acme", Since = start.AddSeconds(1) })).Items.Select(d => d.Id).Should().Equal(second[0].Id);
        (await store.ListDeliveriesAsync(new() { Until = start.AddSeconds(1) })).Items.Select(d => d.Id).Should().BeEquivalentTo([first[0].Id, first[1].Id]);
        var paged = await store.ListDeliveriesAsync(new() { Limit = 1, SubscriptionId = "sub_a" });
        paged.Items.Should().ContainSingle();
        (await store.ListDeliveriesAsync(new() { Limit = 1, SubscriptionId = "sub_a", After = paged.ContinuationToken })).Items.Single().Id.Should().Be(first[0].Id);
    }

    [Fact]
    public async Task ListAttempts_FiltersByDeliveryMessageSubscriptionAndTenant()
    {
        var store = await CreateStoreAsync(Time);
        await EnqueueAsync(store, NewMessage("acme"), "sub_a");
        await EnqueueAsync(store, NewMessage("globex"), "sub_b");
        var claims = await store.ClaimAsync(Claim(10));
        foreach (var c in claims)
        {
            await store.CompleteAsync(Retry(c, Time.GetUtcNow()));
        }

        var acme = claims.Single(c => c.Delivery.TenantId == "acme");

        (await store.ListAttemptsAsync(new() { TenantId = "acme" })).Items.Should().ContainSingle().Which.DeliveryId.Should().Be(acme.Delivery.Id);
        (await store.ListAttemptsAsync(new() { MessageId = acme.Message.Id })).Items.Should().ContainSingle();
        (await store.ListAttemptsAsync(new() { SubscriptionId = "sub_b" })).Items.Should().ContainSingle().Which.TenantId.Should().Be("globex");
        (await store.ListAttemptsAsync(new())).Items.Should().HaveCount(2);
    }

    // ---------------------------------------------------------------- redeliver and recover

    [Fact]
    public async Task Redeliver_AFinishedDelivery_ResetsItToPendingDueNow()
    {
        var store = await CreateStoreAsync(Time);
        await EnqueueOneAsync(store, "sub_a");
        var claim = (await store.ClaimAsync(Claim(1))).Single();
        await store.CompleteAsync(Failure(claim, "retries exhausted"));
        Time.Advance(TimeSpan.FromHours(1));

        var redelivered = await store.RedeliverAsync(claim.Message.Id, "sub_a");

        redelivered!.Id.Should().Be(claim.Delivery.Id);
        redelivered.Status.Should().Be(WebhookDeliveryStatus.Pending);
        redelivered.AttemptCount.Should().Be(0);
        redelivered.FailureReason.Should().BeNull();
        redelivered.NextAttemptAt.Should().Be(Time.GetUtcNow());
        (await store.ClaimAsync(Claim(1))).Single().Delivery.Id.Should().Be(claim.Delivery.Id);
        (await store.CompleteAsync(Success(claim))).Should().Be(WebhookCompletionResult.LeaseLost);
    }

    [Fact]
    public async Task Redeliver_ToASubscriptionWithoutADelivery_CreatesOne()
    {
        var store = await CreateStoreAsync(Time);
        var message = NewMessage("acme");
        await EnqueueAsync(store, message, "sub_a");

        var created = await store.RedeliverAsync(message.Id, "sub_new");

        created!.SubscriptionId.Should().Be("sub_new");
        created.MessageId.Should().Be(message.Id);
        created.TenantId.Should().Be("acme");
        created.EventType.Should().Be(message.EventType);
        created.Status.Should().Be(WebhookDeliveryStatus.Pending);
        (await store.ListDeliveriesAsync(new() { MessageId = message.Id })).Items.Should().HaveCount(2);
        (await store.RedeliverAsync(message.Id, "sub_new"))!.Id.Should().Be(created.Id);
    }

    [Fact]
    public async Task Redeliver_UnknownMessage_ReturnsNull()
    {
        var store = await CreateStoreAsync(Time);

        (await store.RedeliverAsync("msg_missing", "sub_a")).Should().BeNull();
    }

    [Fact]
    public async Task Recover_ReschedulesFailedDeliveriesOfTheSubscriptionSinceTheTime()
    {
        var store = await CreateStoreAsync(Time);
        var old = await EnqueueOneAsync(store, "sub_a");
        Time.Advance(TimeSpan.FromHours(1));
        var since = Time.GetUtcNow();
        var recent = await EnqueueOneAsync(store, "sub_a");
        var succeeded = await EnqueueOneAsync(store, "sub_a");
        var otherSub = await EnqueueOneAsync(store, "sub_b");
        foreach (var c in await store.ClaimAsync(Claim(10)))
        {
            await store.CompleteAsync(c.Delivery.Id == succeeded.Id ? Success(c) : Failure(c, "gone"));
        }

        var count = await store.RecoverAsync("sub_a", since);

        count.Should().Be(1);
        (await store.GetDeliveryAsync(recent.Id))!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        (await store.GetDeliveryAsync(old.Id))!.Status.Should().Be(WebhookDeliveryStatus.Failed);
        (await store.GetDeliveryAsync(succeeded.Id))!.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        (await store.GetDeliveryAsync(otherSub.Id))!.Status.Should().Be(WebhookDeliveryStatus.Failed);
    }

    // ---------------------------------------------------------------- retention

    [Fact]
    public async Task Retention_PurgeSucceeded_RemovesOldFullySucceededMessagesWithTheirDeliveriesAndAttempts()
    {
        var store = await CreateStoreAsync(Time);
        var retention = store.Should().BeAssignableTo<IWebhookStoreRetention>().Subject;
        var sub = NewSubscription();
        await store.CreateSubscriptionAsync(sub);
        var done = await EnqueueOneAsync(store, sub.Id);
        var claim = (await store.ClaimAsync(Claim(10))).Single();
        await store.CompleteAsync(Success(claim));
        var failing = await EnqueueOneAsync(store, sub.Id);
        var failClaim = (await store.ClaimAsync(Claim(10))).Single();
        await store.CompleteAsync(Failure(failClaim, "gone"));
        var pending = await EnqueueOneAsync(store, sub.Id, Time.GetUtcNow().AddHours(1));

        Time.Advance(TimeSpan.FromDays(8));
        var purged = await retention.PurgeSucceededAsync(Time.GetUtcNow().AddDays(-7), 100);

        purged.Should().Be(1);
        (await store.GetMessageAsync(done.MessageId)).Should().BeNull();
        (await store.GetDeliveryAsync(done.Id)).Should().BeNull();
        (await store.ListAttemptsAsync(new WebhookAttemptQuery { DeliveryId = done.Id })).Items.Should().BeEmpty();
        (await store.GetDeliveryAsync(failing.Id))!.Status.Should().Be(WebhookDeliveryStatus.Failed);
        (await store.GetDeliveryAsync(pending.Id))!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        (await store.GetMessageAsync(pending.MessageId)).Should().NotBeNull();
    }

    [Fact]
    public async Task Retention_PurgeSucceeded_KeepsMessagesYoungerThanTheLimitAndHonoursTheBatchSize()
    {
        var store = await CreateStoreAsync(Time);
        var retention = (IWebhookStoreRetention)store;
        var sub = NewSubscription();
        await store.CreateSubscriptionAsync(sub);
        for (var i = 0; i < 3; i++)
        {
            await EnqueueOneAsync(store, sub.Id);
        }

        foreach (var claim in await store.ClaimAsync(Claim(10)))
        {
            await store.CompleteAsync(Success(claim));
        }

        (await retention.PurgeSucceededAsync(Time.GetUtcNow().AddDays(-1), 100)).Should().Be(0, "the messages are younger than the limit");
        Time.Advance(TimeSpan.FromDays(2));
        (await retention.PurgeSucceededAsync(Time.GetUtcNow().AddDays(-1), 2)).Should().Be(2);
        (await retention.PurgeSucceededAsync(Time.GetUtcNow().AddDays(-1), 2)).Should().Be(1);
        (await store.ListMessagesAsync(new WebhookMessageQuery())).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Retention_PurgeFailed_RemovesOnlyOldFailedDeliveriesOfTheSubscription()
    {
        var store = await CreateStoreAsync(Time);
        var retention = (IWebhookStoreRetention)store;
        var subA = NewSubscription();
        var subB = NewSubscription();
        await store.CreateSubscriptionAsync(subA);
        await store.CreateSubscriptionAsync(subB);
        var a = await EnqueueOneAsync(store, subA.Id);
        var b = await EnqueueOneAsync(store, subB.Id);
        foreach (var claim in await store.ClaimAsync(Claim(10)))
        {
            await store.CompleteAsync(Failure(claim, "exhausted"));
        }

        Time.Advance(TimeSpan.FromDays(1));
        var purged = await retention.PurgeFailedAsync(Time.GetUtcNow(), subA.Id, 100);

        purged.Should().Be(1);
        (await store.GetDeliveryAsync(a.Id)).Should().BeNull();
        (await store.GetMessageAsync(a.MessageId)).Should().BeNull("a message left without deliveries goes too");
        (await store.GetDeliveryAsync(b.Id))!.Status.Should().Be(WebhookDeliveryStatus.Failed);
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Creates a subscription with a fresh, increasing id.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="eventTypes">The filters.</param>
    /// <returns>The subscription.</returns>
    protected WebhookSubscription NewSubscription(string? tenantId = null, IReadOnlyList<string>? eventTypes = null) => new()
    {
        Id = NextId("sub_"),
        TenantId = tenantId,
        Url = new Uri("https://example.com/hooks"),
        EventTypes = eventTypes ?? [],
        CreatedAt = Time.GetUtcNow(),
        UpdatedAt = Time.GetUtcNow(),
    };

    /// <summary>Creates a message with a fresh, increasing id.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>The message.</returns>
    protected WebhookMessage NewMessage(string? tenantId = null) => new()
    {
        Id = NextId("msg_"),
        TenantId = tenantId,
        EventType = "order.created",
        Payload = Encoding.UTF8.GetBytes("{\"type\":\"order.created\",\"data\":{\"id\":" + _sequence + "}}"),
        TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        CreatedAt = Time.GetUtcNow(),
    };

    /// <summary>Creates a pending delivery of the message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="due">When it is due; now when null.</param>
    /// <returns>The delivery.</returns>
    protected WebhookDelivery NewDelivery(WebhookMessage message, string subscriptionId, DateTimeOffset? due = null) => new()
    {
        Id = NextId("dlv_"),
        MessageId = message.Id,
        SubscriptionId = subscriptionId,
        TenantId = message.TenantId,
        EventType = message.EventType,
        Status = WebhookDeliveryStatus.Pending,
        NextAttemptAt = due ?? Time.GetUtcNow(),
        CreatedAt = Time.GetUtcNow(),
    };

    private async Task<(WebhookEnqueueResult Result, WebhookDelivery[] Deliveries)> EnqueueAsync(IWebhookStore store, WebhookMessage message, params string[] subscriptionIds)
    {
        var deliveries = subscriptionIds.Select(s => NewDelivery(message, s)).ToArray();
        var result = await store.EnqueueAsync(message, deliveries);
        return (result, deliveries);
    }

    private async Task<WebhookDelivery> EnqueueOneAsync(IWebhookStore store, string subscriptionId, DateTimeOffset? due = null)
    {
        var message = NewMessage();
        var delivery = NewDelivery(message, subscriptionId, due);
        await store.EnqueueAsync(message, [delivery]);
        return delivery;
    }

    private async Task<IReadOnlyList<WebhookDeliveryClaim>> EnqueueAndClaimAsync(IWebhookStore store, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await EnqueueOneAsync(store, "sub_a");
        }

        var claims = await store.ClaimAsync(Claim(count));
        claims.Should().HaveCount(count);
        return claims;
    }

    private static WebhookClaimRequest Claim(int max, string owner = "worker-1") => new() { LeaseOwner = owner, MaxCount = max, LeaseDuration = Lease };

    private WebhookAttempt NewAttempt(WebhookDeliveryClaim claim, int? status, WebhookAttemptError error) => new()
    {
        Id = NextId("atm_"),
        DeliveryId = claim.Delivery.Id,
        MessageId = claim.Message.Id,
        SubscriptionId = claim.Delivery.SubscriptionId,
        TenantId = claim.Delivery.TenantId,
        AttemptNumber = claim.Delivery.AttemptCount + 1,
        Url = "https://example.com/hooks",
        StartedAt = Time.GetUtcNow(),
        Duration = TimeSpan.FromMilliseconds(120),
        Succeeded = error == WebhookAttemptError.None,
        Error = error,
        StatusCode = status,
        ResponseHeaders = new Dictionary<string, string> { ["Retry-After"] = "5" },
        ResponseExcerpt = status == 200 ? "ok" : "busy",
    };

    private WebhookDeliveryCompletion Success(WebhookDeliveryClaim claim) => new()
    {
        DeliveryId = claim.Delivery.Id,
        LeaseId = claim.Delivery.LeaseId!,
        Attempt = NewAttempt(claim, 200, WebhookAttemptError.None),
        Status = WebhookDeliveryStatus.Succeeded,
    };

    private WebhookDeliveryCompletion Retry(WebhookDeliveryClaim claim, DateTimeOffset next) => new()
    {
        DeliveryId = claim.Delivery.Id,
        LeaseId = claim.Delivery.LeaseId!,
        Attempt = NewAttempt(claim, 503, WebhookAttemptError.HttpStatus),
        Status = WebhookDeliveryStatus.Pending,
        NextAttemptAt = next,
    };

    private WebhookDeliveryCompletion Failure(WebhookDeliveryClaim claim, string reason) => new()
    {
        DeliveryId = claim.Delivery.Id,
        LeaseId = claim.Delivery.LeaseId!,
        Attempt = NewAttempt(claim, 500, WebhookAttemptError.HttpStatus),
        Status = WebhookDeliveryStatus.Failed,
        FailureReason = reason,
    };

    // Ids that sort in creation order, like the real time-sortable ids, without depending on the clock.
    private string NextId(string prefix) => $"{prefix}{Interlocked.Increment(ref _sequence):D26}";
}
