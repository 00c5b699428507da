using Webhooks.Sender.CrashHost.Harness;
using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Xunit.Abstractions;

namespace Webhooks.Sender.Sqlite.Tests.Crash;

/// <summary>A sender process on a SQLite file is SIGKILLed mid-run and restarted: nothing is lost, duplicates stay bounded.</summary>
public sealed class SqliteCrashTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task KilledMidRun_ThenRestarted_DeliversEveryMessageAtLeastOnceWithBoundedDuplicates()
    {
        var scenario = new CrashScenario { Store = "sqlite", Connection = _database.ConnectionString, Messages = 300, KillAfter = 100 };

        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await scenario.RunAsync();
        output.WriteLine($"{result.DistinctAtKill} of {result.Published} delivered at the kill; {result.Arrivals} requests, {result.Duplicates} duplicates (bound {scenario.MaxDuplicates}); {started.Elapsed.TotalSeconds:F1} s");

        result.ShouldBeCompleteWithBoundedDuplicates(scenario);

        using var store = _database.CreateStore();
        (await store.CountUnfinishedAsync()).Should().Be(0);
        var succeeded = await store.ListDeliveriesAsync(new() { Status = WebhookDeliveryStatus.Succeeded, Limit = WebhookQuery.MaxLimit });
        succeeded.Items.Should().HaveCount(scenario.Messages);
    }
}
