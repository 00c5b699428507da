namespace Webhooks.LoadHarness.Load;

/// <summary>One bounded run: how many requests were answered 2xx, how many were not, how long it took, and the latencies.</summary>
internal sealed record LoadResult(int Succeeded, int Failed, TimeSpan Elapsed, Percentiles Latency, string? FirstFailure)
{
    public double PerSecond => Succeeded / Elapsed.TotalSeconds;
}
