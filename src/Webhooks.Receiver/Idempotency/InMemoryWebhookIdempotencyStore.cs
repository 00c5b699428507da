namespace Webhooks.Receiver.Idempotency;

/// <summary>
/// The default store: one process's memory. Exact for concurrent requests in this process; forgets everything on
/// restart and knows nothing of other instances (use <c>UseDistributedCacheIdempotency()</c> for several instances).
/// </summary>
internal sealed class InMemoryWebhookIdempotencyStore : IWebhookIdempotencyStore
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly TimeProvider _timeProvider;
    private DateTimeOffset _nextSweep;

    public InMemoryWebhookIdempotencyStore(TimeProvider timeProvider) => _timeProvider = timeProvider;

    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public ValueTask<WebhookIdempotencyStatus> TryBeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            SweepIfDue(now);
            if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now)
            {
                return new(entry.Completed ? WebhookIdempotencyStatus.Completed : WebhookIdempotencyStatus.InProgress);
            }

            _entries[key] = new Entry(Completed: false, now + lease);
            return new(WebhookIdempotencyStatus.Acquired);
        }
    }

    public ValueTask CompleteAsync(string key, TimeSpan retention, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            _entries[key] = new Entry(Completed: true, now + retention);
        }

        return default;
    }

    public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && !entry.Completed)
            {
                _entries.Remove(key);
            }
        }

        return default;
    }

    private void SweepIfDue(DateTimeOffset now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + SweepInterval;
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.Remove(key);
            }
        }
    }

    private readonly record struct Entry(bool Completed, DateTimeOffset ExpiresAt);
}
