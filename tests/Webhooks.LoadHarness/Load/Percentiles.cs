using System.Diagnostics;

namespace Webhooks.LoadHarness.Load;

/// <summary>p50 and p99 of a set of durations in <see cref="Stopwatch"/> ticks, in milliseconds.</summary>
internal readonly record struct Percentiles(double P50, double P99)
{
    public static Percentiles From(Span<long> ticks)
    {
        if (ticks.IsEmpty)
        {
            return new(double.NaN, double.NaN);
        }

        ticks.Sort();
        return new(Milliseconds(ticks[(ticks.Length - 1) / 2]), Milliseconds(ticks[(int)Math.Ceiling(ticks.Length * 0.99) - 1]));
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
