using BenchmarkDotNet.Attributes;
using Webhooks.Core;
using Webhooks.Sender.Health;
using Webhooks.Sender;

namespace Webhooks.Benchmarks.Health;

/// <summary>
/// What endpoint health adds to each attempt of the dispatcher: the breaker and rate limit check before it, the
/// outcome report after it, and the paused-endpoint scan before each claim (with 1000 endpoints tracked).
/// </summary>
[MemoryDiagnoser]
public class EndpointHealthBenchmarks
{
    private readonly DateTimeOffset _now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly List<string> _paused = new(1000);
    private EndpointCircuitBreaker _breaker = null!;
    private EndpointRateLimiters _limiters = null!;
    private EndpointRateLimiters _unlimited = null!;
    private WebhookSubscription _subscription = null!;
    private WebhookSubscription _limited = null!;

    [GlobalSetup]
    public void Setup()
    {
        _breaker = new EndpointCircuitBreaker(5, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(2));
        _limiters = new EndpointRateLimiters(TimeProvider.System, defaultPerSecond: null);
        _unlimited = new EndpointRateLimiters(TimeProvider.System, defaultPerSecond: null);
        _subscription = new WebhookSubscription { Id = "sub_benchmark", Url = new Uri("https://hooks.example/a") };

        // A rate no benchmark run can reach, so every call takes the acquire path.
        _limited = _subscription with { Id = "sub_limited", RateLimitPerSecond = 1_000_000_000 };
        for (var i = 0; i < 1000; i++)
        {
            var id = "sub_" + i;
            for (var f = 0; f < (i % 2 == 0 ? 5 : 2); f++)
            {
                // Half the tracked endpoints are open, half are failing below the threshold.
                _breaker.ReportFailure(id, _now, out _);
            }
        }
    }

    [Benchmark(Baseline = true, Description = "attempt: breaker closed, no rate limit")]
    public bool HealthyUnlimited()
    {
        var allowed = _breaker.TryAcquire(_subscription.Id, _now, out _) && _unlimited.TryAcquire(_subscription, _now, out _);
        _breaker.ReportSuccess(_subscription.Id);
        return allowed;
    }

    [Benchmark(Description = "attempt: breaker closed, rate limited endpoint")]
    public bool HealthyLimited()
    {
        var allowed = _breaker.TryAcquire(_limited.Id, _now, out _) && _limiters.TryAcquire(_limited, _now, out _);
        _breaker.ReportSuccess(_limited.Id);
        return allowed;
    }

    [Benchmark(Description = "claim: scan 1000 tracked endpoints for paused ones")]
    public int CollectPaused()
    {
        _paused.Clear();
        _breaker.CollectPaused(_now, _paused);
        return _paused.Count;
    }
}
