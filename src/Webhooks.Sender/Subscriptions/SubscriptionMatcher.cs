using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Webhooks.Core;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Subscriptions;

/// <summary>Finds the subscriptions a publish fans out to, caching the store's answer briefly per tenant and event type.</summary>
internal sealed class SubscriptionMatcher(IWebhookStore store, TimeProvider time, IOptions<WebhookSenderOptions> options)
{
    private const int MaxEntries = 4096;
    private readonly ConcurrentDictionary<(string? TenantId, string EventType), Entry> _cache = new();
    private long _generation;

    public async Task<IReadOnlyList<WebhookSubscription>> FindAsync(string? tenantId, string eventType, CancellationToken cancellationToken)
    {
        var duration = options.Value.SubscriptionCacheDuration;
        if (duration <= TimeSpan.Zero)
        {
            return await store.FindSubscriptionsAsync(tenantId, eventType, cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var key = (tenantId, eventType);
        var generation = Volatile.Read(ref _generation);
        if (_cache.TryGetValue(key, out var entry) && entry.ExpiresAt > now && entry.Generation == generation)
        {
            return entry.Subscriptions;
        }

        var found = await store.FindSubscriptionsAsync(tenantId, eventType, cancellationToken).ConfigureAwait(false);
        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }

        // An entry read before a local change carries the old generation and is never served after it.
        _cache[key] = new Entry(found, now + duration, generation);
        return found;
    }

    /// <summary>Forgets every cached answer; called after any subscription change made through this process.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _cache.Clear();
    }

    private sealed record Entry(IReadOnlyList<WebhookSubscription> Subscriptions, DateTimeOffset ExpiresAt, long Generation);
}
