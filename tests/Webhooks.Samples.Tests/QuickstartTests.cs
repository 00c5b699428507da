using System.Diagnostics;

namespace Webhooks.Samples.Tests;

/// <summary>Runs the README's first command (the built quick start) as a child process.</summary>
public sealed class QuickstartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Quickstart_Run_DeliversRetriesRecoversAndExitsZero()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Webhooks.Samples.Quickstart.dll");
        File.Exists(dll).Should().BeTrue("the test project references the quick start, so its build output is copied beside the tests");

        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The quick start did not exit within {Timeout}. Output so far:\n{await stdout}");
        }

        var output = await stdout;
        (await stderr).Should().BeEmpty("the quick start keeps framework logs at Warning and nothing should warn");
        process.ExitCode.Should().Be(0, output);
        output.Should().Contain("verified order.created").And.Contain("verified order.shipped").And.Contain("verified invoice.paid");
        output.Should().Contain("answered 503 Service Unavailable (simulated outage, request 2 of 2)");
        output.Should().MatchRegex(@"invoice\.paid\s+billing\s+Succeeded [3-9]", "the billing endpoint refuses two attempts, so at least three are made");
        output.Should().Contain("attempt 3: 200");
        output.Should().Contain("All 4 deliveries succeeded (1 after retries)");
    }
}
