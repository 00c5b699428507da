using System.Threading.RateLimiting;
using Webhooks.Core;

namespace Webhooks.Sender.Health;

/// <summary>
/// The per-endpoint rate limiters, keyed by subscription id: requests per second from
/// <see cref="WebhookSubscription.RateLimitPerSecond"/> or the default, none when both are unset. A refused delivery
/// is not failed: the dispatcher hands it back to wait for <c>retryAfter</c>. Thread-safe.
/// </summary>
/// <remarks>
/// A limiter is rebuilt when its subscription's rate changes. Memory: at most <c>capacity</c> limiters; when full,
/// the idle ones (a full bucket, which is the same as a new one) are dropped, so the bound loses nothing. When every
/// limiter is busy the new endpoint waits a moment (never goes unlimited). Limits are per process: with several sender
/// instances an endpoint may receive up to the rate times the number of instances.
/// </remarks>
internal sealed class EndpointRateLimiters : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _limiters = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int? _defaultPerSecond;
    private readonly int _capacity;

    public EndpointRateLimiters(TimeProvider time, int? defaultPerSecond, int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        _defaultPerSecond = defaultPerSecond;
        _capacity = capacity;
    }

    /// <summary>Gets the number of limiters held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _limiters.Count;
            }
        }
    }

    /// <summary>Asks to make one request to the subscription's endpoint now.</summary>
    /// <param name="subscription">The subscription.</param>
    /// <param name="now">The current time, read before the call: a refused endpoint waits until <c>now + retryAfter</c>,
    /// which can only err early (one more refusal), never late (a stall).</param>
    /// <param name="retryAfter">When refused, how long until a request is allowed; otherwise zero.</param>
    /// <returns><see langword="true"/> when the request may be made.</returns>
    public bool TryAcquire(WebhookSubscription subscription, DateTimeOffset now, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        var rate = subscription.RateLimitPerSecond is > 0 ? subscription.RateLimitPerSecond : _defaultPerSecond;
        lock (_gate)
        {
            if (rate is not { } perSecond || perSecond <= 0)
            {
                Remove(subscription.Id);
                return true;
            }

            if (!_limiters.TryGetValue(subscription.Id, out var entry) || entry.Limiter.PermitsPerSecond != perSecond)
            {
                Remove(subscription.Id);
                if (_limiters.Count >= _capacity && !DropIdle())
                {
                    // Every limiter is busy: forget one (its endpoint gets a fresh bucket, one burst too many)
                    // rather than grow without bound or leave the new endpoint unlimited.
                    foreach (var victim in _limiters.Keys)
                    {
                        Remove(victim);
                        break;
                    }
                }

                entry = new Entry(new TimeProviderTokenBucket(perSecond, _time));
                _limiters.Add(subscription.Id, entry);
            }

            using var lease = entry.Limiter.AttemptAcquire();
            if (lease.IsAcquired)
            {
                entry.PausedUntil = DateTimeOffset.MinValue;
                return true;
            }

            retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1.0 / perSecond);
            entry.PausedUntil = now + retryAfter;
            return false;
        }
    }

    /// <summary>
    /// Adds to <paramref name="into"/> the endpoints refused recently that are still waiting, so the dispatcher does
    /// not claim their deliveries, and returns the earliest time one of them allows a request again.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="into">Receives the subscription ids.</param>
    /// <returns>The earliest time a waiting endpoint may be called, or <see langword="null"/> when none waits.</returns>
    public DateTimeOffset? CollectPaused(DateTimeOffset now, ICollection<string> into)
    {
        DateTimeOffset? earliest = null;
        lock (_gate)
        {
            foreach (var (endpoint, entry) in _limiters)
            {
                if (entry.PausedUntil > now)
                {
                    into.Add(endpoint);
                    earliest = earliest is null || entry.PausedUntil < earliest ? entry.PausedUntil : earliest;
                }
            }
        }

        return earliest;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var entry in _limiters.Values)
            {
                entry.Limiter.Dispose();
            }

            _limiters.Clear();
        }
    }

    private void Remove(string subscriptionId)
    {
        if (_limiters.Remove(subscriptionId, out var old))
        {
            old.Limiter.Dispose();
        }
    }

    /// <summary>Drops the limiters whose bucket is full. Caller holds the lock.</summary>
    private bool DropIdle()
    {
        List<string>? idle = null;
        foreach (var (endpoint, entry) in _limiters)
        {
            if (entry.Limiter.IdleDuration is not null)
            {
                (idle ??= []).Add(endpoint);
            }
        }

        foreach (var endpoint in idle ?? [])
        {
            Remove(endpoint);
        }

        return idle is not null;
    }

    private sealed class Entry(TimeProviderTokenBucket limiter)
    {
        public TimeProviderTokenBucket Limiter { get; } = limiter;

        public DateTimeOffset PausedUntil { get; set; } = DateTimeOffset.MinValue;
    }
}
