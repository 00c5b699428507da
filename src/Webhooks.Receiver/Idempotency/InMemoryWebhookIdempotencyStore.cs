using System.Collections.Concurrent;

namespace Webhooks.Receiver.Idempotency;

/// <summary>
/// The default store: one process's memory. Exact for concurrent requests in this process; forgets everything on
/// restart and knows nothing of other instances (use <c>UseDistributedCacheIdempotency()</c> for several instances).
/// </summary>
/// <remarks>
/// Lock-free: every change is a compare-and-swap on one key, so concurrent requests never wait for each other and the
/// periodic sweep of expired entries does not stall them.
/// </remarks>
internal sealed class InMemoryWebhookIdempotencyStore : IWebhookIdempotencyStore
{
    private static readonly long SweepIntervalTicks = TimeSpan.FromMinutes(1).Ticks;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private long _nextSweepTicks;

    public InMemoryWebhookIdempotencyStore(TimeProvider timeProvider) => _timeProvider = timeProvider;

    internal int Count => _entries.Count;

    public ValueTask<WebhookIdempotencyStatus> TryBeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow().UtcTicks;
        SweepIfDue(now);
        var claim = new Entry(Completed: false, now + lease.Ticks);
        while (true)
        {
            if (_entries.TryAdd(key, claim))
            {
                return new(WebhookIdempotencyStatus.Acquired);
            }

            if (_entries.TryGetValue(key, out var entry))
            {
                if (entry.ExpiresAtTicks > now)
                {
                    return new(entry.Completed ? WebhookIdempotencyStatus.Completed : WebhookIdempotencyStatus.InProgress);
                }

                // Expired: take it over unless another request changed it first.
                if (_entries.TryUpdate(key, claim, entry))
                {
                    return new(WebhookIdempotencyStatus.Acquired);
                }
            }

            // Removed or changed since we looked: look again.
        }
    }

    public ValueTask CompleteAsync(string key, TimeSpan retention, CancellationToken cancellationToken)
    {
        _entries[key] = new Entry(Completed: true, _timeProvider.GetUtcNow().UtcTicks + retention.Ticks);
        return default;
    }

    public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        // Removes the claim only as it was read: a completion stored meanwhile stays.
        if (_entries.TryGetValue(key, out var entry) && !entry.Completed)
        {
            _entries.TryRemove(KeyValuePair.Create(key, entry));
        }

        return default;
    }

    private void SweepIfDue(long now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now < due || Interlocked.CompareExchange(ref _nextSweepTicks, now + SweepIntervalTicks, due) != due)
        {
            return;
        }

        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAtTicks <= now)
            {
                // Only the expired value: an entry renewed since it was read is kept.
                _entries.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
    }

    private readonly record struct Entry(bool Completed, long ExpiresAtTicks);
}
