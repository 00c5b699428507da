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
    // Permits are counted in exact integers: one permit is TicksPerSecond units and the bucket earns PermitsPerSecond
    // units per elapsed tick, so no rounding ever leaves a bucket a hair short of a permit it has earned.
    private const long UnitsPerPermit = TimeSpan.TicksPerSecond;

    private static readonly RateLimitLease Acquired = new Lease(true, null);
    private static readonly RateLimitLease Refused = new Lease(false, null);

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly long _capacity;
    private long _units;
    private long _refilledAt;
    private long _successful;
    private long _failed;

    public TimeProviderTokenBucket(int permitsPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitsPerSecond, 1);
        PermitsPerSecond = permitsPerSecond;
        _time = time;
        _capacity = permitsPerSecond * UnitsPerPermit;
        _units = _capacity;
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

                // While full, _refilledAt is the moment the bucket became full.
                return _units < _capacity ? null : _time.GetElapsedTime(_refilledAt, now);
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
                CurrentAvailablePermits = _units / UnitsPerPermit,
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
            var wanted = Math.Max(permitCount, 1) * UnitsPerPermit;
            if (_units >= wanted)
            {
                if (permitCount == 0)
                {
                    return Acquired;
                }

                if (_units == _capacity)
                {
                    // Taking from a full bucket starts the refill clock.
                    _refilledAt = now;
                }

                _units -= permitCount * UnitsPerPermit;
                _successful++;
                return Acquired;
            }

            _failed++;
            if (permitCount == 0)
            {
                return Refused;
            }

            // Whole ticks, rounded up, so that waiting exactly this long always finds the permit.
            var ticks = (wanted - _units + PermitsPerSecond - 1) / PermitsPerSecond;
            return new Lease(false, TimeSpan.FromTicks(ticks));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<RateLimitLease>(cancellationToken)
            : new ValueTask<RateLimitLease>(AttemptAcquireCore(permitCount));

    /// <summary>Adds the units earned since the last refill. Caller holds the lock.</summary>
    private void Refill(long now)
    {
        if (_units >= _capacity)
        {
            return;
        }

        var elapsed = _time.GetElapsedTime(_refilledAt, now).Ticks;
        if (elapsed <= 0)
        {
            return;
        }

        var missing = _capacity - _units;
        if (elapsed >= (missing + PermitsPerSecond - 1) / PermitsPerSecond)
        {
            // Full again: remember when it became full, which is where its idle time starts.
            var ticksToFull = (missing + PermitsPerSecond - 1) / PermitsPerSecond;
            _refilledAt += (long)(ticksToFull * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);
            _units = _capacity;
            return;
        }

        _units += elapsed * PermitsPerSecond;
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
