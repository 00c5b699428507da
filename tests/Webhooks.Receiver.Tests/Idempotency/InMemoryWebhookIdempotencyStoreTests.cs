using Microsoft.Extensions.Time.Testing;
using Webhooks.Receiver.Idempotency;

namespace Webhooks.Receiver.Tests.Idempotency;

public sealed class InMemoryWebhookIdempotencyStoreTests
{
    private readonly FakeTimeProvider _time = new(ReceiverHost.Start);

    [Fact]
    public async Task TryBegin_Fresh_AcquiresThenInProgress()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);

        (await store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default)).Should().Be(WebhookIdempotencyStatus.Acquired);
        (await store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default)).Should().Be(WebhookIdempotencyStatus.InProgress);
    }

    [Fact]
    public async Task Complete_ThenTryBegin_CompletedUntilRetentionEnds()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);
        await store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default);

        await store.CompleteAsync("k", TimeSpan.FromHours(1), default);
        _time.Advance(TimeSpan.FromMinutes(59));
        var inside = await store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default);
        _time.Advance(TimeSpan.FromMinutes(2));
        var after = await store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default);

        inside.Should().Be(WebhookIdempotencyStatus.Completed);
        after.Should().Be(WebhookIdempotencyStatus.Acquired);
    }

    [Fact]
    public async Task Release_ThenTryBegin_AcquiresAgain()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);
        await store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default);

        await store.ReleaseAsync("k", default);

        (await store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default)).Should().Be(WebhookIdempotencyStatus.Acquired);
    }

    [Fact]
    public async Task Release_AfterComplete_KeepsTheCompletion()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);
        await store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default);
        await store.CompleteAsync("k", TimeSpan.FromHours(1), default);

        await store.ReleaseAsync("k", default);

        (await store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default)).Should().Be(WebhookIdempotencyStatus.Completed);
    }

    [Fact]
    public async Task TryBegin_LeaseExpired_AcquiresAgain()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);
        await store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default);

        _time.Advance(TimeSpan.FromMinutes(2));

        (await store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default)).Should().Be(WebhookIdempotencyStatus.Acquired);
    }

    [Fact]
    public async Task TryBegin_AfterExpiries_SweepsOldEntries()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);
        for (var i = 0; i < 100; i++)
        {
            await store.TryBeginAsync("k" + i, TimeSpan.FromMinutes(1), default);
            await store.CompleteAsync("k" + i, TimeSpan.FromMinutes(5), default);
        }

        _time.Advance(TimeSpan.FromMinutes(10));
        await store.TryBeginAsync("fresh", TimeSpan.FromMinutes(1), default);

        store.Count.Should().Be(1);
    }

    [Fact]
    public async Task TryBegin_Concurrent_ExactlyOneAcquires()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default).AsTask())));

        results.Count(r => r == WebhookIdempotencyStatus.Acquired).Should().Be(1);
    }

    [Fact]
    public async Task TryBegin_ConcurrentAfterLeaseExpired_ExactlyOneTakesOver()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);
        await store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default);
        _time.Advance(TimeSpan.FromMinutes(2));

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default).AsTask())));

        results.Count(r => r == WebhookIdempotencyStatus.Acquired).Should().Be(1);
        results.Count(r => r == WebhookIdempotencyStatus.InProgress).Should().Be(49);
    }

    [Fact]
    public async Task TryBegin_ConcurrentKeys_EachAcquiredOnce()
    {
        var store = new InMemoryWebhookIdempotencyStore(_time);

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() => store.TryBeginAsync("k" + (i % 100), TimeSpan.FromMinutes(1), default).AsTask())));

        results.Count(r => r == WebhookIdempotencyStatus.Acquired).Should().Be(100);
        store.Count.Should().Be(100);
    }
}
