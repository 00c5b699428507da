using System.Globalization;
using Webhooks.LoadHarness.Load;

namespace Webhooks.LoadHarness.Reporting;

/// <summary>Turns interleaved candidate results into a table with ratios to a baseline candidate.</summary>
internal static class CandidateTable
{
    public static ResultTable Create(string title, string unit, IReadOnlyList<CandidateResult> results, CandidateResult baseline, string latencyName)
    {
        var table = new ResultTable(
            title,
            "candidate",
            $"best {unit}/s",
            $"median {unit}/s",
            "ratio (best)",
            "ratio (median)",
            $"{latencyName} p50 ms",
            $"{latencyName} p99 ms",
            "CPU us/op (least)",
            "CPU ratio",
            "failed");
        foreach (var r in results)
        {
            table.Add(
                r.Name,
                F(r.Best.PerSecond, "F0"),
                F(r.Median.PerSecond, "F0"),
                F(r.Best.PerSecond / baseline.Best.PerSecond, "F2"),
                F(r.Median.PerSecond / baseline.Median.PerSecond, "F2"),
                F(r.Median.Latency.P50, "F2"),
                F(r.Median.Latency.P99, "F2"),
                F(r.BestCpu, "F0"),
                F(r.BestCpu / baseline.BestCpu, "F2"),
                r.Failed.ToString(CultureInfo.InvariantCulture));
            if (r.Failed > 0 || r.Rounds.Any(round => round.Succeeded == 0))
            {
                table.Failures.Add($"{title}: {r.Name}: {r.Failed} failed, first: {r.Rounds.Select(round => round.FirstFailure).FirstOrDefault(f => f is not null) ?? "no request succeeded"}");
            }
        }

        return table;
    }

    public static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
