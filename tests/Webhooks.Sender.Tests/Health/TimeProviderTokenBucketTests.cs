using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.Health;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Health;

public class TimeProviderTokenBucketTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void AttemptAcquire_NewBucket_AllowsOneSecondOfBurstThenRefuses()
    {
        using var bucket = new TimeProviderTokenBucket(5, _time);

        var granted = Enumerable.Range(0, 7).Count(n => Acquire(bucket));

        granted.Should().Be(5);
    }

    [Fact]
    public void AttemptAcquire_Refused_CarriesRetryAfterUntilTheNextPermit()
    {
        using var bucket = new TimeProviderTokenBucket(4, _time);
        for (var i = 0; i < 4; i++)
        {
            Acquire(bucket);
        }

        using var lease = bucket.AttemptAcquire();

        lease.IsAcquired.Should().BeFalse();
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter).Should().BeTrue();
        retryAfter.Should().Be(TimeSpan.FromMilliseconds(250));
        lease.MetadataNames.Should().Equal(MetadataName.RetryAfter.Name);
    }

    [Fact]
    public void AttemptAcquire_AfterRetryAfter_Succeeds()
    {
        using var bucket = new TimeProviderTokenBucket(3, _time);
        for (var i = 0; i < 3; i++)
        {
            Acquire(bucket);
        }

        using var refused = bucket.AttemptAcquire();
        refused.TryGetMetadata(MetadataName.RetryAfter, out var wait);
        _time.Advance(wait - TimeSpan.FromTicks(1));
        Acquire(bucket).Should().BeFalse();
        _time.Advance(TimeSpan.FromTicks(1));

        Acquire(bucket).Should().BeTrue();
        Acquire(bucket).Should().BeFalse();
    }

    [Fact]
    public void AttemptAcquire_OverTenSeconds_KeepsTheRate()
    {
        using var bucket = new TimeProviderTokenBucket(10, _time);
        var granted = 0;

        // 10 s in 10 ms steps, asking every step: burst of 10, then 10 per second.
        for (var step = 0; step < 1000; step++)
        {
            while (Acquire(bucket))
            {
                granted++;
            }

            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        granted.Should().BeInRange(109, 111);
    }

    [Fact]
    public void AttemptAcquire_AfterLongIdle_DoesNotBankMoreThanOneSecond()
    {
        using var bucket = new TimeProviderTokenBucket(2, _time);
        Acquire(bucket);
        Acquire(bucket);

        _time.Advance(TimeSpan.FromHours(1));

        Enumerable.Range(0, 5).Count(n => Acquire(bucket)).Should().Be(2);
    }

    [Fact]
    public void IdleDuration_IsNullUntilFullThenCountsFromWhenItFilled()
    {
        using var bucket = new TimeProviderTokenBucket(2, _time);
        bucket.IdleDuration.Should().Be(TimeSpan.Zero);
        Acquire(bucket);
        Acquire(bucket);
        bucket.IdleDuration.Should().BeNull();

        _time.Advance(TimeSpan.FromMilliseconds(500));
        bucket.IdleDuration.Should().BeNull();
        _time.Advance(TimeSpan.FromMilliseconds(1500));

        bucket.IdleDuration.Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void GetStatistics_CountsLeases()
    {
        using var bucket = new TimeProviderTokenBucket(1, _time);
        Acquire(bucket);
        Acquire(bucket);

        var statistics = bucket.GetStatistics()!;

        statistics.TotalSuccessfulLeases.Should().Be(1);
        statistics.TotalFailedLeases.Should().Be(1);
        statistics.CurrentAvailablePermits.Should().Be(0);
    }

    [Fact]
    public async Task AcquireAsync_DoesNotQueue()
    {
        using var bucket = new TimeProviderTokenBucket(1, _time);
        Acquire(bucket);

        using var lease = await bucket.AcquireAsync();

        lease.IsAcquired.Should().BeFalse();
    }

    private static bool Acquire(RateLimiter limiter)
    {
        using var lease = limiter.AttemptAcquire();
        return lease.IsAcquired;
    }
}
