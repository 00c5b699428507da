using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;

namespace Webhooks.Receiver.Idempotency;

/// <summary>
/// A store on <see cref="IDistributedCache"/> (Redis, SQL Server, ...) for receivers running on several instances.
/// </summary>
/// <remarks>
/// <see cref="IDistributedCache"/> has no atomic "add if absent", so this store is best effort across instances:
/// a claim is written and read back, and two instances that receive the same message within the same
/// few milliseconds (one cache round trip) can both handle it. Within one instance claims are exact.
/// </remarks>
internal sealed class DistributedCacheWebhookIdempotencyStore : IWebhookIdempotencyStore
{
    private const string KeyPrefix = "webhooks:receiver:";
    private static readonly byte[] CompletedMarker = [(byte)'C'];

    private readonly IDistributedCache _cache;
    private readonly ConcurrentDictionary<string, byte> _local = new(StringComparer.Ordinal);

    public DistributedCacheWebhookIdempotencyStore(IDistributedCache cache) => _cache = cache;

    public async ValueTask<WebhookIdempotencyStatus> TryBeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (!_local.TryAdd(key, 0))
        {
            return WebhookIdempotencyStatus.InProgress;
        }

        try
        {
            var cacheKey = KeyPrefix + key;
            var existing = await _cache.GetAsync(cacheKey, cancellationToken).ConfigureAwait(false);
            if (existing is { Length: > 0 })
            {
                _local.TryRemove(key, out _);
                return existing.AsSpan().SequenceEqual(CompletedMarker) ? WebhookIdempotencyStatus.Completed : WebhookIdempotencyStatus.InProgress;
            }

            // A claim is 'P' and a random token; reading it back narrows the race with another instance.
            var claim = new byte[17];
            claim[0] = (byte)'P';
            Guid.NewGuid().TryWriteBytes(claim.AsSpan(1));
            await _cache.SetAsync(cacheKey, claim, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lease }, cancellationToken).ConfigureAwait(false);
            var stored = await _cache.GetAsync(cacheKey, cancellationToken).ConfigureAwait(false);
            if (stored is null || stored.AsSpan().SequenceEqual(claim))
            {
                return WebhookIdempotencyStatus.Acquired;
            }

            _local.TryRemove(key, out _);
            return WebhookIdempotencyStatus.InProgress;
        }
        catch
        {
            _local.TryRemove(key, out _);
            throw;
        }
    }

    public async ValueTask CompleteAsync(string key, TimeSpan retention, CancellationToken cancellationToken)
    {
        try
        {
            await _cache.SetAsync(KeyPrefix + key, CompletedMarker, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = retention }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _local.TryRemove(key, out _);
        }
    }

    public async ValueTask ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _cache.RemoveAsync(KeyPrefix + key, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _local.TryRemove(key, out _);
        }
    }
}
