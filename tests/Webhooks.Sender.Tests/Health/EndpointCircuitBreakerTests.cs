using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.Health;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Health;

public class EndpointCircuitBreakerTests
{
    private const string Endpoint = "sub_a";
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxBreak = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly EndpointCircuitBreaker _breaker = new(threshold: 3, Break, MaxBreak, ProbeTimeout);

    [Fact]
    public void TryAcquire_UnknownEndpoint_Allows()
    {
        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out var retryAfter).Should().BeTrue();
        retryAfter.Should().Be(TimeSpan.Zero);
        _breaker.GetState(Endpoint).Should().Be(CircuitState.Closed);
    }

    [Fact]
    public void ReportFailure_BelowThreshold_StaysClosed()
    {
        Fail(2).Should().OnlyContain(t => t == CircuitTransition.None);

        _breaker.GetState(Endpoint).Should().Be(CircuitState.Closed);
        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out _).Should().BeTrue();
    }

    [Fact]
    public void ReportFailure_AtThreshold_OpensAndRefusesForBreakDuration()
    {
        var transitions = Fail(3);

        transitions.Should().Equal(CircuitTransition.None, CircuitTransition.None, CircuitTransition.Opened);
        _breaker.GetState(Endpoint).Should().Be(CircuitState.Open);
        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out var retryAfter).Should().BeFalse();
        retryAfter.Should().Be(Break);

        _time.Advance(Break - TimeSpan.FromTicks(1));
        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out retryAfter).Should().BeFalse();
        retryAfter.Should().Be(TimeSpan.FromTicks(1));
    }

    [Fact]
    public void ReportFailure_AtThreshold_ReportsBreakDuration()
    {
        Fail(2);

        _breaker.ReportFailure(Endpoint, _time.GetUtcNow(), out var duration).Should().Be(CircuitTransition.Opened);

        duration.Should().Be(Break);
    }

    [Fact]
    public void ReportSuccess_BetweenFailures_ResetsTheRun()
    {
        Fail(2);
        _breaker.ReportSuccess(Endpoint).Should().Be(CircuitTransition.None);
        Fail(2);

        _breaker.GetState(Endpoint).Should().Be(CircuitState.Closed);
        _breaker.Count.Should().Be(1);
    }

    [Fact]
    public void TryAcquire_AfterBreak_AllowsExactlyOneProbe()
    {
        Fail(3);
        _time.Advance(Break);

        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out _).Should().BeTrue();
        _breaker.GetState(Endpoint).Should().Be(CircuitState.HalfOpen);
        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out var retryAfter).Should().BeFalse();
        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out _).Should().BeFalse();
        retryAfter.Should().Be(ProbeTimeout);
    }

    [Fact]
    public void ReportSuccess_OfProbe_ClosesAndForgets()
    {
        Fail(3);
        _time.Advance(Break);
        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out _);

        _breaker.ReportSuccess(Endpoint).Should().Be(CircuitTransition.Closed);

        _breaker.GetState(Endpoint).Should().Be(CircuitState.Closed);
        _breaker.Count.Should().Be(0);
        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out _).Should().BeTrue();
        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out _).Should().BeTrue();
    }

    [Fact]
    public void ReportFailure_OfProbe_ReopensForTwiceAsLongUpToTheMaximum()
    {
        Fail(3);
        var pauses = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out var wait).Should().BeFalse();
            _time.Advance(wait);
            _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out _).Should().BeTrue("the break is over, so one probe goes");
            _breaker.ReportFailure(Endpoint, _time.GetUtcNow(), out var pause).Should().Be(CircuitTransition.Opened);
            pauses.Add(pause);
        }

        pauses.Should().Equal(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), MaxBreak, MaxBreak);
        _breaker.GetState(Endpoint).Should().Be(CircuitState.Open);
    }

    [Fact]
    public void ReportFailure_WhileOpen_DoesNotExtendThePause()
    {
        Fail(3);
        _time.Advance(TimeSpan.FromSeconds(10));

        _breaker.ReportFailure(Endpoint, _time.GetUtcNow(), out _).Should().Be(CircuitTransition.None);

        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out var retryAfter).Should().BeFalse();
        retryAfter.Should().Be(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void TryAcquire_ProbeNeverReported_AllowsAnotherAfterProbeTimeout()
    {
        Fail(3);
        _time.Advance(Break);
        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out _).Should().BeTrue();

        _time.Advance(ProbeTimeout);

        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out _).Should().BeTrue();
        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out _).Should().BeFalse();
    }

    [Fact]
    public void ReportAbandoned_OfProbe_AllowsANewProbeAtOnce()
    {
        Fail(3);
        _time.Advance(Break);
        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out _).Should().BeTrue();

        _breaker.ReportAbandoned(Endpoint);

        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out _).Should().BeTrue();
        _breaker.TryAcquire(Endpoint, _time.GetUtcNow(), out _).Should().BeFalse();
    }

    [Fact]
    public void CollectPaused_ListsOpenAndProbingEndpointsWithEarliestResume()
    {
        Fail(3, "sub_open");
        _time.Advance(TimeSpan.FromSeconds(10));
        Fail(3, "sub_later");
        Fail(1, "sub_failing");
        var paused = new List<string>();

        var earliest = _breaker.CollectPaused(_time.GetUtcNow(), paused);

        paused.Should().BeEquivalentTo("sub_open", "sub_later");
        earliest.Should().Be(_time.GetUtcNow() + TimeSpan.FromSeconds(20));

        _time.Advance(TimeSpan.FromSeconds(20));
        paused.Clear();
        _breaker.CollectPaused(_time.GetUtcNow(), paused).Should().Be(_time.GetUtcNow() + TimeSpan.FromSeconds(10));
        paused.Should().Equal("sub_later");
        _breaker.TryAcquire("sub_open", _time.GetUtcNow(), out _).Should().BeTrue();
        paused.Clear();
        _breaker.CollectPaused(_time.GetUtcNow(), paused);
        paused.Should().BeEquivalentTo("sub_open", "sub_later");
    }

    [Fact]
    public void Breaker_WithZeroThreshold_NeverOpens()
    {
        var off = new EndpointCircuitBreaker(0, Break, MaxBreak, ProbeTimeout);
        for (var i = 0; i < 100; i++)
        {
            off.ReportFailure(Endpoint, _time.GetUtcNow(), out _).Should().Be(CircuitTransition.None);
        }

        off.IsEnabled.Should().BeFalse();
        off.TryAcquire(Endpoint, _time.GetUtcNow(), out _).Should().BeTrue();
        off.Count.Should().Be(0);
    }

    [Fact]
    public void ReportFailure_AtCapacity_DropsClosedEntriesAndKeepsOpenOnes()
    {
        var small = new EndpointCircuitBreaker(2, Break, MaxBreak, ProbeTimeout, capacity: 3);
        var now = _time.GetUtcNow();
        small.ReportFailure("open", now, out _);
        small.ReportFailure("open", now, out _).Should().Be(CircuitTransition.Opened);
        small.ReportFailure("closed1", now, out _);
        small.ReportFailure("closed2", now, out _);

        small.ReportFailure("new", now, out _);

        small.Count.Should().Be(2);
        small.GetState("open").Should().Be(CircuitState.Open);
        small.ReportFailure("new", now, out _).Should().Be(CircuitTransition.Opened);
    }

    [Fact]
    public void ReportFailure_AtCapacityWithEveryCircuitOpen_DoesNotTrackTheNewEndpoint()
    {
        var small = new EndpointCircuitBreaker(1, Break, MaxBreak, ProbeTimeout, capacity: 1);
        var now = _time.GetUtcNow();
        small.ReportFailure("open", now, out _).Should().Be(CircuitTransition.Opened);

        small.ReportFailure("new", now, out _).Should().Be(CircuitTransition.None);

        small.Count.Should().Be(1);
        small.TryAcquire("new", now, out _).Should().BeTrue();
    }

    [Fact]
    public async Task TryAcquire_ManyThreadsInHalfOpen_GrantsOneProbe()
    {
        Fail(3);
        _time.Advance(Break);
        var now = _time.GetUtcNow();
        var granted = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(n => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                if (_breaker.TryAcquire(Endpoint, now, out _))
                {
                    Interlocked.Increment(ref granted);
                }
            }
        })));

        granted.Should().Be(1);
    }

    private List<CircuitTransition> Fail(int times, string endpoint = Endpoint)
    {
        var transitions = new List<CircuitTransition>();
        for (var i = 0; i < times; i++)
        {
            transitions.Add(_breaker.ReportFailure(endpoint, _time.GetUtcNow(), out _));
        }

        return transitions;
    }
}
