using Webhooks.Benchmarks.Comparisons;
using Webhooks.LoadHarness.Scenarios;

namespace Webhooks.Benchmarks.Receiver;

/// <summary>
/// The receiver pipeline benchmark measured interleaved (min of N rounds per candidate), for a shared machine.
/// Run with <c>dotnet run -c Release --project tests/Webhooks.Benchmarks -- --interleaved-receiver</c>.
/// </summary>
internal static class InterleavedReceiverPipeline
{
    public static void Run(TextWriter output)
    {
        var benchmarks = ReceiverEndpoints.Targets.Select(t =>
        {
            var b = new ReceiverPipelineBenchmarks { Path = t.Path };
            b.Setup();
            return (t.Name, Benchmark: b);
        }).ToArray();
        try
        {
            var results = InterleavedComparison.Measure(
                operations: 200,
                rounds: 60,
                [.. benchmarks.Select(b => (b.Name, (Action)(() => b.Benchmark.Post().GetAwaiter().GetResult())))],
                () => GC.GetTotalAllocatedBytes(precise: false));
            output.WriteLine("| scheme | body | candidate | min ns/op | ratio to bare | allocated B/op (process) |");
            output.WriteLine("|---|---:|---|---:|---:|---:|");
            InterleavedComparison.Report(output, "GitHub pull_request, TestServer", 23 * 1024, results);
        }
        finally
        {
            foreach (var (_, benchmark) in benchmarks)
            {
                benchmark.Cleanup();
            }
        }
    }
}
