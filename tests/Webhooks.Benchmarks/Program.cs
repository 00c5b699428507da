using BenchmarkDotNet.Running;
using Webhooks.Benchmarks.Comparisons;
using Webhooks.Benchmarks.Receiver;
using Webhooks.Benchmarks.Signatures;

if (args is ["--dashboard-fixture"])
{
    await Webhooks.Benchmarks.Dashboard.DashboardPageBenchmarks.BuildFixturesAsync(Console.Out);
    return;
}

if (args is ["--interleaved"])
{
    InterleavedVerifyRatio.Run(Console.Out);
    return;
}

if (args is ["--interleaved-receiver"])
{
    InterleavedReceiverPipeline.Run(Console.Out);
    return;
}

if (args is ["--interleaved-schemes"])
{
    InterleavedComparison.Run(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
