using Microsoft.Data.Sqlite;
using Webhooks.Sender.CrashHost.Harness;
using Xunit.Abstractions;

namespace Webhooks.Receiver.Sqlite.Tests.Crash;

/// <summary>A receiver process with a SQLite inbox is SIGKILLed while it accepts and processes, then restarted: no accepted webhook is lost.</summary>
public sealed class SqliteInboxCrashTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("webhooks-inbox-crash-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task KilledWhileAcceptingAndProcessing_ThenRestarted_HandlesEveryAcceptedWebhook()
    {
        var scenario = new ReceiverCrashScenario { Store = "sqlite", Connection = $"Data Source={Path.Combine(_directory, "inbox.db")}" };

        var result = await scenario.RunAsync(_directory);
        output.WriteLine($"sent {result.Sent}, accepted {result.Accepted.Count}, handled at the kill {result.HandledAtKill}, handled after restart {result.Handled.Count}, duplicates {result.Duplicates}, lost {result.Lost.Count}");

        result.HandledAtKill.Should().BeLessThan(result.Accepted.Count, "the kill lands while accepted webhooks wait to be processed");
        result.Lost.Should().BeEmpty(result.Log);
        result.Duplicates.Should().BeLessThanOrEqualTo(4, "at most the items being processed at the kill (MaxConcurrency) run twice");
    }
}
