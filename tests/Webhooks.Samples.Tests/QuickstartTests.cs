namespace Webhooks.Samples.Tests;

/// <summary>Runs the README's first command (the built quick start) as a child process.</summary>
public sealed class QuickstartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Quickstart_Run_DeliversRetriesRecoversAndExitsZero()
    {
        var (exitCode, output, stderr) = await SampleProcess.RunToExitAsync("Webhooks.Samples.Quickstart", Timeout);

        stderr.Should().BeEmpty("the quick start keeps framework logs at Warning and nothing should warn");
        exitCode.Should().Be(0, output);
        output.Should().Contain("verified order.created").And.Contain("verified order.shipped").And.Contain("verified invoice.paid");
        output.Should().Contain("answered 503 Service Unavailable (simulated outage, request 2 of 2)");
        output.Should().MatchRegex(@"invoice\.paid\s+billing\s+Succeeded [3-9]", "the billing endpoint refuses two attempts, so at least three are made");
        output.Should().Contain("attempt 3: 200");
        output.Should().Contain("All 4 deliveries succeeded (1 after retries)");
    }
}
