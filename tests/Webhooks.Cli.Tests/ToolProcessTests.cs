#if NET10_0_OR_GREATER
using System.Diagnostics;

namespace Webhooks.Cli.Tests;

/// <summary>
/// The built tool as a separate process, as a user runs it (stdout, stderr and exit code through the OS). Only on the
/// net10.0 run: the tool is framework-dependent, and this machine has the .NET 10 runtime (the net8.0 tests run
/// self-contained).
/// </summary>
public sealed class ToolProcessTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task BuiltTool_SignsTheSpecificationVector_AndRejectsATamperedBody()
    {
        var body = Cli.BodyFile(Cli.Payload, _folder);
        var tampered = Cli.BodyFile(Cli.Payload.Replace('4', '5'), _folder);

        var (signCode, signOut, _) = await RunAsync("sign", "--secret", Cli.Secret, "--id", Cli.MessageId, "--timestamp", Cli.Timestamp, "--body-file", body);
        var (verifyCode, verifyOut, _) = await RunAsync("verify", "--secret", Cli.Secret, "--id", Cli.MessageId, "--timestamp", Cli.Timestamp, "--signature", Cli.Signature, "--now", Cli.Timestamp, "--body-file", tampered);
        var (usageCode, _, usageErr) = await RunAsync("verify");

        signCode.Should().Be(0);
        signOut.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n')[^1].Should().Be(Cli.Signature);
        verifyCode.Should().Be(1);
        verifyOut.Should().StartWith("invalid:");
        usageCode.Should().Be(2);
        usageErr.Should().Contain("--secret is required");
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Webhooks.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
#endif
