using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.Health;
using Webhooks.Sender;
using static Webhooks.Sender.Tests.Health.HealthTestSubscriptions;

namespace Webhooks.Sender.Tests.Health;

public class EndpointRateLimitersTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryAcquire_NoRateAnywhere_IsUnlimitedAndHoldsNothing()
    {
        using var limiters = new EndpointRateLimiters(_time, defaultPerSecond: null);
        var subscription = Create();

        Enumerable.Range(0, 1000).All(n => limiters.TryAcquire(subscription, _time.GetUtcNow(), out _)).Should().BeTrue();

        limiters.Count.Should().Be(0);
    }

    [Fact]
    public void TryAcquire_SubscriptionRate_LimitsAndSaysWhenToComeBack()
    {
        using var limiters = new EndpointRateLimiters(_time, defaultPerSecond: null);
        var subscription = Create(rateLimitPerSecond: 2);

        limiters.TryAcquire(subscription, _time.GetUtcNow(), out _).Should().BeTrue();
        limiters.TryAcquire(subscription, _time.GetUtcNow(), out _).Should().BeTrue();
        limiters.TryAcquire(subscription, _time.GetUtcNow(), out var retryAfter).Should().BeFalse();

        retryAfter.Should().Be(TimeSpan.FromMilliseconds(500));
        _time.Advance(retryAfter);
        limiters.TryAcquire(subscription, _time.GetUtcNow(), out _).Should().BeTrue();
    }

    [Fact]
    public void TryAcquire_NoSubscriptionRate_UsesTheDefault()
    {
        using var limiters = new EndpointRateLimiters(_time, defaultPerSecond: 3);
        var subscription = Create();

        Enumerable.Range(0, 10).Count(n => limiters.TryAcquire(subscription, _time.GetUtcNow(), out _)).Should().Be(3);
    }

    [Fact]
    public void TryAcquire_SubscriptionRate_WinsOverTheDefault()
    {
        using var limiters = new EndpointRateLimiters(_time, defaultPerSecond: 3);
        var subscription = Create(rateLimitPerSecond: 6);

        Enumerable.Range(0, 10).Count(n => limiters.TryAcquire(subscription, _time.GetUtcNow(), out _)).Should().Be(6);
    }

    [Fact]
    public void TryAcquire_EndpointsAreLimitedSeparately()
    {
        using var limiters = new EndpointRateLimiters(_time, defaultPerSecond: 1);

        limiters.TryAcquire(Create("sub_a"), _time.GetUtcNow(), out _).Should().BeTrue();
        limiters.TryAcquire(Create("sub_a"), _time.GetUtcNow(), out _).Should().BeFalse();

        limiters.TryAcquire(Create("sub_b"), _time.GetUtcNow(), out _).Should().BeTrue();
    }

    [Fact]
    public void TryAcquire_RateChanged_RebuildsTheLimiter()
    {
        using var limiters = new EndpointRateLimiters(_time, defaultPerSecond: null);
        limiters.TryAcquire(Create(rateLimitPerSecond: 1), _time.GetUtcNow(), out _).Should().BeTrue();
        limiters.TryAcquire(Create(rateLimitPerSecond: 1), _time.GetUtcNow(), out _).Should().BeFalse();

        var raised = Create(rateLimitPerSecond: 5);

        Enumerable.Range(0, 10).Count(n => limiters.TryAcquire(raised, _time.GetUtcNow(), out _)).Should().Be(5);
    }

    [Fact]
    public void TryAcquire_RateRemoved_DropsTheLimiter()
    {
        using var limiters = new EndpointRateLimiters(_time, defaultPerSecond: null);
        limiters.TryAcquire(Create(rateLimitPerSecond: 1), _time.GetUtcNow(), out _);
        limiters.Count.Should().Be(1);

        limiters.TryAcquire(Create(), _time.GetUtcNow(), out _).Should().BeTrue();

        limiters.Count.Should().Be(0);
    }

    [Fact]
    public void CollectPaused_ListsRefusedEndpointsUntilTheirTurn()
    {
        using var limiters = new EndpointRateLimiters(_time, defaultPerSecond: 2);
        var subscription = Create();
        limiters.TryAcquire(subscription, _time.GetUtcNow(), out _);
        limiters.TryAcquire(subscription, _time.GetUtcNow(), out _);
        limiters.TryAcquire(subscription, _time.GetUtcNow(), out var retryAfter).Should().BeFalse();
        var paused = new List<string>();

        limiters.CollectPaused(_time.GetUtcNow(), paused).Should().Be(_time.GetUtcNow() + retryAfter);
        paused.Should().Equal("sub_a");

        _time.Advance(retryAfter);
        paused.Clear();
        limiters.CollectPaused(_time.GetUtcNow(), paused).Should().BeNull();
        paused.Should().BeEmpty();
    }

    [Fact]
    public void TryAcquire_AtCapacity_DropsIdleLimitersOnly()
    {
        using var limiters = new EndpointRateLimiters(_time, defaultPerSecond: 1, capacity: 2);
        limiters.TryAcquire(Create("sub_idle"), _time.GetUtcNow(), out _);
        _time.Advance(TimeSpan.FromSeconds(2));
        limiters.TryAcquire(Create("sub_busy"), _time.GetUtcNow(), out _);

        limiters.TryAcquire(Create("sub_new"), _time.GetUtcNow(), out _).Should().BeTrue();

        limiters.Count.Should().Be(2);
        limiters.TryAcquire(Create("sub_busy"), _time.GetUtcNow(), out _).Should().BeFalse("its limiter survived, so its used permit still counts");
    }

    [Fact]
    public void TryAcquire_AtCapacityAllBusy_ForgetsABusyLimiterAndStillLimitsTheNewEndpoint()
    {
        using var limiters = new EndpointRateLimiters(_time, defaultPerSecond: 1, capacity: 1);
        limiters.TryAcquire(Create("sub_busy"), _time.GetUtcNow(), out _);

        limiters.TryAcquire(Create("sub_new"), _time.GetUtcNow(), out _).Should().BeTrue();
        limiters.TryAcquire(Create("sub_new"), _time.GetUtcNow(), out var retryAfter).Should().BeFalse();

        retryAfter.Should().Be(TimeSpan.FromSeconds(1));
        limiters.Count.Should().Be(1);
    }

    [Fact]
    public async Task TryAcquire_ManyThreads_GrantsExactlyTheBurst()
    {
        using var limiters = new EndpointRateLimiters(_time, defaultPerSecond: 50);
        var subscription = Create();
        var granted = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(n => Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                if (limiters.TryAcquire(subscription, _time.GetUtcNow(), out _))
                {
                    Interlocked.Increment(ref granted);
                }
            }
        })));

        granted.Should().Be(50);
    }
}
