namespace Webhooks.LoadHarness.Load;

/// <summary>One bounded run: how many requests were answered 2xx, how many were not, how long it took, and the latencies.</summary>
internal sealed record LoadResult(int Succeeded, int Failed, TimeSpan Elapsed, Percentiles Latency, string? FirstFailure)
{
    public double PerSecond => Succeeded / Elapsed.TotalSeconds;

    /// <summary>
    /// Gets the CPU time the whole process used during the timed part (load generator or sender, and the server or sink):
    /// on a shared machine this moves much less than the wall-clock rate.
    /// </summary>
    public TimeSpan? Cpu { get; init; }

    /// <summary>Gets how long each <c>PublishAsync</c> call took, for the runs that publish.</summary>
    public Percentiles? PublishLatency { get; init; }

    public double CpuMicrosecondsPerOperation => Cpu is { } cpu && Succeeded > 0 ? cpu.TotalMicroseconds / Succeeded : double.NaN;

    public static TimeSpan ProcessCpu()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
