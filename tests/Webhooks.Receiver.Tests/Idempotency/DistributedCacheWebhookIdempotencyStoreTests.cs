using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Receiver.Idempotency;

namespace Webhooks.Receiver.Tests.Idempotency;

public sealed class DistributedCacheWebhookIdempotencyStoreTests
{
    private readonly FakeTimeProvider _time = new(ReceiverHost.Start);

    [Fact]
    public async Task TryBegin_ClaimCompleteRelease_FollowTheContract()
    {
        var store = new DistributedCacheWebhookIdempotencyStore(NewCache());

        (await store.TryBeginAsync("a", TimeSpan.FromMinutes(1), default)).Should().Be(WebhookIdempotencyStatus.Acquired);
        (await store.TryBeginAsync("a", TimeSpan.FromMinutes(1), default)).Should().Be(WebhookIdempotencyStatus.InProgress);
        await store.CompleteAsync("a", TimeSpan.FromHours(1), default);
        (await store.TryBeginAsync("a", TimeSpan.FromMinutes(1), default)).Should().Be(WebhookIdempotencyStatus.Completed);

        (await store.TryBeginAsync("b", TimeSpan.FromMinutes(1), default)).Should().Be(WebhookIdempotencyStatus.Acquired);
        await store.ReleaseAsync("b", default);
        (await store.TryBeginAsync("b", TimeSpan.FromMinutes(1), default)).Should().Be(WebhookIdempotencyStatus.Acquired);
    }

    [Fact]
    public async Task TryBegin_TwoInstancesOneCache_SecondSeesTheFirstsClaimAndCompletion()
    {
        var cache = NewCache();
        var first = new DistributedCacheWebhookIdempotencyStore(cache);
        var second = new DistributedCacheWebhookIdempotencyStore(cache);

        await first.TryBeginAsync("k", TimeSpan.FromMinutes(1), default);
        var whileRunning = await second.TryBeginAsync("k", TimeSpan.FromMinutes(1), default);
        await first.CompleteAsync("k", TimeSpan.FromHours(1), default);
        var afterwards = await second.TryBeginAsync("k", TimeSpan.FromMinutes(1), default);

        whileRunning.Should().Be(WebhookIdempotencyStatus.InProgress);
        afterwards.Should().Be(WebhookIdempotencyStatus.Completed);
    }

    [Fact]
    public async Task Complete_RetentionEnds_Forgotten()
    {
        var store = new DistributedCacheWebhookIdempotencyStore(NewCache());
        await store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default);
        await store.CompleteAsync("k", TimeSpan.FromMinutes(10), default);

        _time.Advance(TimeSpan.FromMinutes(11));

        (await store.TryBeginAsync("k", TimeSpan.FromMinutes(1), default)).Should().Be(WebhookIdempotencyStatus.Acquired);
    }

    private FakeDistributedCache NewCache() => new(_time);

    /// <summary>An in-memory cache on a fake clock (absolute expiry only, as the store uses).</summary>
    private sealed class FakeDistributedCache(TimeProvider time) : IDistributedCache
    {
        private readonly Dictionary<string, (byte[] Value, DateTimeOffset ExpiresAt)> _entries = [];

        public byte[]? Get(string key)
        {
            lock (_entries)
            {
                return _entries.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetUtcNow() ? entry.Value : null;
            }
        }

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

        public void Refresh(string key)
        {
        }

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

        public void Remove(string key)
        {
            lock (_entries)
            {
                _entries.Remove(key);
            }
        }

        public Task RemoveAsync(string key, CancellationToken token = default)
        {
            Remove(key);
            return Task.CompletedTask;
        }

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
        {
            lock (_entries)
            {
                _entries[key] = (value, time.GetUtcNow() + options.AbsoluteExpirationRelativeToNow!.Value);
            }
        }

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Set(key, value, options);
            return Task.CompletedTask;
        }
    }
}
