namespace Webhooks.LoadHarness.Load;

/// <summary>
/// Runs candidates in turn, round after round (the order rotates each round), so all of them see the same state of a
/// shared machine; a scenario reports each candidate's best and median round.
/// </summary>
internal static class Interleaved
{
    public static async Task<IReadOnlyList<CandidateResult>> RunAsync(IReadOnlyList<Candidate> candidates, int rounds, TextWriter log)
    {
        var results = candidates.Select(c => new CandidateResult(c.Name)).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < candidates.Count; k++)
            {
                var c = (k + round) % candidates.Count;
                var cpu = LoadResult.ProcessCpu();
                var result = await candidates[c].RunAsync().ConfigureAwait(false);
                result = result with { Cpu = result.Cpu ?? LoadResult.ProcessCpu() - cpu };
                results[c].Rounds.Add(result);
                log.WriteLine($"  round {round + 1}/{rounds} {candidates[c].Name}: {result.Succeeded} ok, {result.Failed} failed in {result.Elapsed.TotalSeconds:F2} s = {result.PerSecond:F0}/s, p50 {result.Latency.P50:F2} ms, p99 {result.Latency.P99:F2} ms, CPU {result.CpuMicrosecondsPerOperation:F0} us/op");
            }
        }

        return results;
    }
}

/// <summary>One thing to measure: a name and a bounded run.</summary>
internal sealed record Candidate(string Name, Func<Task<LoadResult>> RunAsync);

/// <summary>A candidate's rounds.</summary>
internal sealed class CandidateResult(string name)
{
    public string Name { get; } = name;

    public List<LoadResult> Rounds { get; } = [];

    public LoadResult Best => Rounds.MaxBy(r => r.PerSecond)!;

    public LoadResult Median => Rounds.OrderBy(r => r.PerSecond).ElementAt((Rounds.Count - 1) / 2);

    public int Failed => Rounds.Sum(r => r.Failed);

    /// <summary>Gets the least CPU per operation of any round (other processes cannot lower it).</summary>
    public double BestCpu => Rounds.Min(r => r.CpuMicrosecondsPerOperation);
}
