using System.Threading.RateLimiting;

namespace Webhooks.Sender.Health;

/// <summary>
/// A token bucket <see cref="RateLimiter"/> whose clock is a <see cref="TimeProvider"/>: it holds up to
/// <c>permitsPerSecond</c> permits (one second of burst) and refills continuously at that rate. It does not queue:
/// a refused lease carries <see cref="MetadataName.RetryAfter"/>, the wait until a permit is free.
/// </summary>
/// <remarks>
/// Why not <see cref="TokenBucketRateLimiter"/>: its refill reads the real clock (<c>Stopwatch</c>) even when
/// replenished by hand (<c>AutoReplenishment = false</c> with <c>TryReplenish</c>), so it cannot follow a
/// <see cref="TimeProvider"/> such as a test's fake clock, and with automatic replenishment it runs a timer per
/// endpoint. Refilling from the elapsed <see cref="TimeProvider"/> time when asked needs no timer at all.
/// </remarks>
internal sealed class TimeProviderTokenBucket : RateLimiter
{
    private static readonly RateLimitLease Acquired = new Lease(true, null);
    private static readonly RateLimitLease Refused = new Lease(false, null);

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly double _capacity;
    private double _tokens;
    private long _refilledAt;
    private long _successful;
    private long _failed;

    public TimeProviderTokenBucket(int permitsPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitsPerSecond, 1);
        PermitsPerSecond = permitsPerSecond;
        _time = time;
        _capacity = permitsPerSecond;
        _tokens = permitsPerSecond;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>Gets the refill rate, which is also the burst size.</summary>
    public int PermitsPerSecond { get; }

    /// <summary>Gets how long the bucket has been full (a full bucket is the same as a new one), or <see langword="null"/> when it is not full.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetTimestamp();
                Refill(now);
                if (_tokens < _capacity)
                {
                    return null;
                }

                // While full, _refilledAt is the moment the bucket became full.
                return _time.GetElapsedTime(_refilledAt, now);
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Refill(_time.GetTimestamp());
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = (long)_tokens,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, PermitsPerSecond);
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            Refill(now);
            var wanted = Math.Max(permitCount, 1);
            if (_tokens >= wanted)
            {
                if (permitCount > 0 && _tokens >= _capacity)
                {
                    // Taking from a full bucket starts the refill clock.
                    _refilledAt = now;
                }

                _tokens -= permitCount;
                _successful += permitCount == 0 ? 0 : 1;
                return Acquired;
            }

            _failed++;
            var seconds = (wanted - _tokens) / PermitsPerSecond;

            // Round up to a whole tick so that waiting exactly this long always finds the permit.
            return new Lease(false, TimeSpan.FromTicks((long)Math.Ceiling(seconds * TimeSpan.TicksPerSecond)));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<RateLimitLease>(cancellationToken)
            : new ValueTask<RateLimitLease>(AttemptAcquireCore(permitCount));

    /// <summary>Adds the permits earned since the last refill. Caller holds the lock.</summary>
    private void Refill(long now)
    {
        if (_tokens >= _capacity)
        {
            return;
        }

        var elapsed = _time.GetElapsedTime(_refilledAt, now).TotalSeconds;
        if (elapsed <= 0)
        {
            return;
        }

        var missing = _capacity - _tokens;
        if (elapsed * PermitsPerSecond >= missing)
        {
            // Full again: remember when it became full, which is where its idle time starts.
            _refilledAt += (long)(missing / PermitsPerSecond * _time.TimestampFrequency);
            _tokens = _capacity;
            return;
        }

        _tokens += elapsed * PermitsPerSecond;
        _refilledAt = now;
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
