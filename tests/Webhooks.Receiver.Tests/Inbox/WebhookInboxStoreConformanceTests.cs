using System.Text;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Receiver.Inbox;

namespace Webhooks.Receiver.Tests.Inbox;

/// <summary>
/// The behaviour every <see cref="IWebhookInboxStore"/> must have. A store's test project subclasses this and supplies
/// <see cref="CreateStoreAsync"/>; every test gets a fresh, empty store.
/// </summary>
public abstract class WebhookInboxStoreConformanceTests
{
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>Gets the clock the tests pass to the store.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    /// <summary>Creates a fresh, empty store.</summary>
    protected abstract Task<IWebhookInboxStore> CreateStoreAsync();

    public static WebhookInboxEntry Entry(string messageId, DateTimeOffset receivedAt, string receiver = "", string eventType = "order.created", string body = """{"type":"order.created","data":{"id":1}}""") =>
        new()
        {
            ReceiverName = receiver,
            MessageId = messageId,
            EventType = eventType,
            Timestamp = receivedAt.AddSeconds(-1),
            ReceivedAt = receivedAt,
            Body = Encoding.UTF8.GetBytes(body),
            PayloadStart = 0,
            PayloadLength = Encoding.UTF8.GetByteCount(body),
            Headers = """{"webhook-id":"x","traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}""",
        };

    [Fact]
    public async Task Add_ThenGet_RoundTripsEveryField()
    {
        var store = await CreateStoreAsync();
        var now = Time.GetUtcNow();
        var entry = new WebhookInboxEntry
        {
            ReceiverName = "github",
            MessageId = "msg_1",
            EventType = "pull_request",
            Timestamp = now.AddSeconds(-3),
            ReceivedAt = now,
            Body = "{\"a\":{\"b\":1}}"u8.ToArray(),
            PayloadStart = 5,
            PayloadLength = 7,
            Headers = """{"X-GitHub-Event":"pull_request"}""",
        };

        (await store.AddAsync(entry, default)).Should().Be(WebhookInboxAddResult.Added);
        var page = await store.ListAsync(new WebhookInboxQuery(), default);
        var item = await store.GetAsync(page.Items.Single().Id, default);

        item.Should().NotBeNull();
        item!.ReceiverName.Should().Be("github");
        item.MessageId.Should().Be("msg_1");
        item.EventType.Should().Be("pull_request");
        item.Timestamp.Should().Be(now.AddSeconds(-3));
        item.ReceivedAt.Should().Be(now);
        item.Body.ToArray().Should().Equal(entry.Body.ToArray());
        item.Payload.Should().BeNull();
        item.PayloadStart.Should().Be(5);
        item.PayloadLength.Should().Be(7);
        Encoding.UTF8.GetString(item.HandlerPayload.Span).Should().Be("{\"b\":1}");
        item.Headers.Should().Be(entry.Headers);
        item.State.Should().Be(WebhookInboxState.Pending);
        item.Attempts.Should().Be(0);
        item.NextAttemptAt.Should().Be(now);
        item.CompletedAt.Should().BeNull();
    }

    [Fact]
    public async Task Add_WithOwnPayload_KeepsIt()
    {
        var store = await CreateStoreAsync();
        var entry = Entry("m", Time.GetUtcNow()) is var e ? new WebhookInboxEntry
        {
            ReceiverName = e.ReceiverName, MessageId = e.MessageId, EventType = "/deploy", ReceivedAt = e.ReceivedAt, Body = "command=%2Fdeploy"u8.ToArray(),
            Payload = """{"command":"/deploy"}"""u8.ToArray(), Headers = "{}",
        } : null!;

        await store.AddAsync(entry, default);
        var item = (await store.ListAsync(new WebhookInboxQuery(), default)).Items.Single();

        item.Timestamp.Should().BeNull();
        Encoding.UTF8.GetString(item.HandlerPayload.Span).Should().Be("""{"command":"/deploy"}""");
        Encoding.UTF8.GetString(item.Body.Span).Should().Be("command=%2Fdeploy");
    }

    [Fact]
    public async Task Add_SameReceiverAndMessageId_IsDuplicate_EvenAfterProcessing()
    {
        var store = await CreateStoreAsync();
        var now = Time.GetUtcNow();
        await store.AddAsync(Entry("m1", now), default);

        (await store.AddAsync(Entry("m1", now.AddSeconds(1)), default)).Should().Be(WebhookInboxAddResult.Duplicate);
        var claimed = await store.ClaimAsync("", "lease-1", 10, now, Lease, default);
        await store.CompleteAsync(claimed[0].Id, "lease-1", now, default);
        (await store.AddAsync(Entry("m1", now.AddSeconds(2)), default)).Should().Be(WebhookInboxAddResult.Duplicate);
        (await store.AddAsync(Entry("m1", now, receiver: "other"), default)).Should().Be(WebhookInboxAddResult.Added);
        (await store.ListAsync(new WebhookInboxQuery(), default)).Items.Should().HaveCount(2);
    }

    [Fact]
    public async Task Claim_TakesDueItemsOfOneReceiver_OldestFirst_UpToTheLimit()
    {
        var store = await CreateStoreAsync();
        var now = Time.GetUtcNow();
        await store.AddAsync(Entry("a", now), default);
        await store.AddAsync(Entry("b", now.AddSeconds(1)), default);
        await store.AddAsync(Entry("c", now.AddSeconds(2)), default);
        await store.AddAsync(Entry("x", now, receiver: "other"), default);
        await store.AddAsync(Entry("future", now.AddMinutes(5)), default);

        var claimed = await store.ClaimAsync("", "lease-1", 2, now.AddSeconds(10), Lease, default);

        claimed.Select(i => i.MessageId).Should().Equal("a", "b");
        claimed.Should().OnlyContain(i => i.State == WebhookInboxState.Processing && i.Attempts == 1 && i.LeaseId == "lease-1" && i.LeaseExpiresAt == now.AddSeconds(10) + Lease);
        var rest = await store.ClaimAsync("", "lease-2", 10, now.AddSeconds(10), Lease, default);
        rest.Select(i => i.MessageId).Should().Equal("c");
    }

    [Fact]
    public async Task Claim_IsExclusiveUntilTheLeaseRunsOut_ThenTheItemIsClaimedAgain()
    {
        var store = await CreateStoreAsync();
        var now = Time.GetUtcNow();
        await store.AddAsync(Entry("a", now), default);
        var first = await store.ClaimAsync("", "lease-1", 10, now, Lease, default);

        (await store.ClaimAsync("", "lease-2", 10, now + Lease - TimeSpan.FromSeconds(1), Lease, default)).Should().BeEmpty();
        var second = await store.ClaimAsync("", "lease-3", 10, now + Lease, Lease, default);

        second.Should().ContainSingle().Which.Attempts.Should().Be(2);
        (await store.CompleteAsync(first[0].Id, "lease-1", now + Lease, default)).Should().BeFalse("the first lease was lost");
        (await store.FailAsync(first[0].Id, "lease-1", "late", null, now + Lease, default)).Should().BeFalse();
        (await store.CompleteAsync(second[0].Id, "lease-3", now + Lease, default)).Should().BeTrue();
        (await store.GetAsync(first[0].Id, default))!.State.Should().Be(WebhookInboxState.Processed);
    }

    [Fact]
    public async Task Complete_IsIdempotentAndGuardedByTheLease()
    {
        var store = await CreateStoreAsync();
        var now = Time.GetUtcNow();
        await store.AddAsync(Entry("a", now), default);
        var item = (await store.ClaimAsync("", "lease-1", 1, now, Lease, default)).Single();

        (await store.CompleteAsync(item.Id, "other-lease", now, default)).Should().BeFalse();
        (await store.CompleteAsync(item.Id, "lease-1", now.AddSeconds(1), default)).Should().BeTrue();
        (await store.CompleteAsync(item.Id, "lease-1", now.AddSeconds(2), default)).Should().BeFalse();

        var done = await store.GetAsync(item.Id, default);
        done!.State.Should().Be(WebhookInboxState.Processed);
        done.CompletedAt.Should().Be(now.AddSeconds(1));
        done.LeaseId.Should().BeNull();
        (await store.ClaimAsync("", "lease-2", 1, now.AddDays(1), Lease, default)).Should().BeEmpty();
    }

    [Fact]
    public async Task Fail_WithNextTime_MakesItPendingUntilThen_WithoutNext_MakesItDead()
    {
        var store = await CreateStoreAsync();
        var now = Time.GetUtcNow();
        await store.AddAsync(Entry("a", now), default);
        var item = (await store.ClaimAsync("", "l1", 1, now, Lease, default)).Single();

        (await store.FailAsync(item.Id, "l1", "boom", now.AddSeconds(30), now, default)).Should().BeTrue();
        var pending = await store.GetAsync(item.Id, default);
        pending!.State.Should().Be(WebhookInboxState.Pending);
        pending.LastError.Should().Be("boom");
        pending.NextAttemptAt.Should().Be(now.AddSeconds(30));
        (await store.ClaimAsync("", "l2", 1, now.AddSeconds(29), Lease, default)).Should().BeEmpty();

        var again = (await store.ClaimAsync("", "l3", 1, now.AddSeconds(30), Lease, default)).Single();
        again.Attempts.Should().Be(2);
        (await store.FailAsync(again.Id, "l3", "boom twice", null, now.AddSeconds(31), default)).Should().BeTrue();
        var dead = await store.GetAsync(item.Id, default);
        dead!.State.Should().Be(WebhookInboxState.Dead);
        dead.LastError.Should().Be("boom twice");
        dead.CompletedAt.Should().Be(now.AddSeconds(31));
        (await store.ClaimAsync("", "l4", 1, now.AddDays(1), Lease, default)).Should().BeEmpty();
    }

    [Fact]
    public async Task List_PagesByIdAndFiltersByStateAndReceiver()
    {
        var store = await CreateStoreAsync();
        var now = Time.GetUtcNow();
        for (var i = 0; i < 5; i++)
        {
            await store.AddAsync(Entry("m" + i, now.AddSeconds(i)), default);
        }

        await store.AddAsync(Entry("o", now, receiver: "other"), default);
        var dead = (await store.ClaimAsync("", "l", 1, now, Lease, default)).Single();
        await store.FailAsync(dead.Id, "l", "x", null, now, default);

        var first = await store.ListAsync(new WebhookInboxQuery { ReceiverName = "", State = WebhookInboxState.Pending, Limit = 3 }, default);
        var second = await store.ListAsync(new WebhookInboxQuery { ReceiverName = "", State = WebhookInboxState.Pending, Limit = 3, After = first.NextAfter }, default);
        var deadPage = await store.ListAsync(new WebhookInboxQuery { State = WebhookInboxState.Dead }, default);
        var all = await store.ListAsync(new WebhookInboxQuery { Limit = 100 }, default);

        first.Items.Select(i => i.MessageId).Should().Equal("m1", "m2", "m3");
        first.NextAfter.Should().Be(first.Items[^1].Id);
        second.Items.Select(i => i.MessageId).Should().Equal("m4");
        second.NextAfter.Should().BeNull();
        deadPage.Items.Select(i => i.MessageId).Should().Equal("m0");
        all.Items.Should().HaveCount(6).And.BeInAscendingOrder(i => i.Id);
    }

    [Fact]
    public async Task Replay_MakesADeadOrProcessedItemDueWithNoAttempts_NotAPendingOne()
    {
        var store = await CreateStoreAsync();
        var now = Time.GetUtcNow();
        await store.AddAsync(Entry("a", now), default);
        await store.AddAsync(Entry("b", now), default);
        var claimed = await store.ClaimAsync("", "l", 1, now, Lease, default);
        await store.FailAsync(claimed[0].Id, "l", "x", null, now, default);
        var pendingId = (await store.ListAsync(new WebhookInboxQuery { State = WebhookInboxState.Pending }, default)).Items.Single().Id;

        (await store.ReplayAsync(pendingId, now, default)).Should().BeFalse();
        (await store.ReplayAsync(long.MaxValue, now, default)).Should().BeFalse();
        (await store.ReplayAsync(claimed[0].Id, now.AddMinutes(1), default)).Should().BeTrue();

        var replayed = await store.GetAsync(claimed[0].Id, default);
        replayed!.State.Should().Be(WebhookInboxState.Pending);
        replayed.Attempts.Should().Be(0);
        replayed.NextAttemptAt.Should().Be(now.AddMinutes(1));
        replayed.CompletedAt.Should().BeNull();
    }

    [Fact]
    public async Task ReplayDead_TakesTheDeadItemsReceivedSinceATime()
    {
        var store = await CreateStoreAsync();
        var now = Time.GetUtcNow();
        foreach (var (id, at, receiver) in new[] { ("old", now, ""), ("new1", now.AddHours(1), ""), ("new2", now.AddHours(2), ""), ("otherReceiver", now.AddHours(2), "other") })
        {
            await store.AddAsync(Entry(id, at, receiver), default);
            var item = (await store.ClaimAsync(receiver, "l", 1, now.AddDays(1), Lease, default)).Single();
            await store.FailAsync(item.Id, "l", "x", null, now.AddDays(1), default);
        }

        (await store.ReplayDeadAsync(now.AddHours(1), "", now.AddDays(2), default)).Should().Be(2);
        (await store.ReplayDeadAsync(now, null, now.AddDays(2), default)).Should().Be(2);

        var pending = await store.ListAsync(new WebhookInboxQuery { State = WebhookInboxState.Pending }, default);
        pending.Items.Select(i => i.MessageId).Should().BeEquivalentTo("old", "new1", "new2", "otherReceiver");
    }

    [Fact]
    public async Task Purge_DeletesOnlyFinishedItemsOfTheStateBeforeTheTime_InBatches_AndFreesTheirKey()
    {
        var store = await CreateStoreAsync();
        var now = Time.GetUtcNow();
        for (var i = 0; i < 5; i++)
        {
            await store.AddAsync(Entry("p" + i, now), default);
        }

        await store.AddAsync(Entry("dead", now), default);
        await store.AddAsync(Entry("pending", now.AddDays(1)), default);
        var claimed = await store.ClaimAsync("", "l", 6, now, Lease, default);
        foreach (var item in claimed)
        {
            _ = item.MessageId == "dead"
                ? await store.FailAsync(item.Id, "l", "x", null, now, default)
                : await store.CompleteAsync(item.Id, "l", now, default);
        }

        (await store.PurgeAsync(WebhookInboxState.Processed, now, null, 10, default)).Should().Be(0, "completed at the limit, not before it");
        (await store.PurgeAsync(WebhookInboxState.Processed, now.AddSeconds(1), null, 3, default)).Should().Be(3);
        (await store.PurgeAsync(WebhookInboxState.Processed, now.AddSeconds(1), "other", 3, default)).Should().Be(0);
        (await store.PurgeAsync(WebhookInboxState.Processed, now.AddSeconds(1), "", 3, default)).Should().Be(2);
        (await store.PurgeAsync(WebhookInboxState.Pending, now.AddDays(10), null, 10, default)).Should().Be(0);

        var left = await store.ListAsync(new WebhookInboxQuery(), default);
        left.Items.Select(i => i.MessageId).Should().BeEquivalentTo("dead", "pending");
        (await store.AddAsync(Entry("p0", now), default)).Should().Be(WebhookInboxAddResult.Added, "a purged item's key is free again");
    }

    [Fact]
    public async Task Statistics_CountPendingAndDead_AndFindTheOldestPending()
    {
        var store = await CreateStoreAsync();
        var now = Time.GetUtcNow();
        (await store.GetStatisticsAsync(null, default)).Should().Be(new WebhookInboxStatistics(0, 0, null));
        await store.AddAsync(Entry("a", now), default);
        await store.AddAsync(Entry("b", now.AddMinutes(1)), default);
        await store.AddAsync(Entry("c", now.AddMinutes(2)), default);
        await store.AddAsync(Entry("o", now.AddMinutes(-5), receiver: "other"), default);
        var a = (await store.ClaimAsync("", "l", 1, now, Lease, default)).Single();
        await store.FailAsync(a.Id, "l", "x", null, now, default);
        await store.ClaimAsync("", "l2", 1, now.AddMinutes(1), Lease, default);

        (await store.GetStatisticsAsync("", default)).Should().Be(new WebhookInboxStatistics(2, 1, now.AddMinutes(1)));
        (await store.GetStatisticsAsync(null, default)).Should().Be(new WebhookInboxStatistics(3, 1, now.AddMinutes(-5)));
    }

    [Fact]
    public async Task Add_HostileText_RoundTrips()
    {
        var store = await CreateStoreAsync();
        var now = Time.GetUtcNow();
        var headers = """{"X-Evil":"'; DROP TABLE inbox; --\u0000\u2028"}""";
        var entry = new WebhookInboxEntry
        {
            ReceiverName = "r'\"",
            MessageId = "id'); DELETE FROM x; --",
            EventType = "a\"b",
            ReceivedAt = now,
            Body = new byte[] { 0, 255, 1, 0 },
            Headers = headers,
        };

        await store.AddAsync(entry, default);
        var item = (await store.ClaimAsync("r'\"", "l", 1, now, Lease, default)).Single();
        (await store.FailAsync(item.Id, "l", "error with \u0000 nul and 'quotes'", now, now, default)).Should().BeTrue();
        var loaded = await store.GetAsync(item.Id, default);

        loaded!.MessageId.Should().Be(entry.MessageId);
        loaded.EventType.Should().Be("a\"b");
        loaded.Body.ToArray().Should().Equal(0, 255, 1, 0);
        loaded.Headers.Should().Be(headers);
        loaded.LastError.Should().Contain("quotes");
    }
}
