namespace Webhooks.Samples.Tests;

/// <summary>
/// The README's "In your app" program (samples/Webhooks.Samples.App), run twice in a row on one data folder, as a user
/// runs it again: both runs deliver, the secret is kept, and the database stays out of the content root.
/// (.ci/pack-consume.sh does the same against the packed NuGet packages.)
/// </summary>
public sealed class AppSampleTests : IDisposable
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(120);
    private readonly string _home = Directory.CreateTempSubdirectory("webhooks-app-sample-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task App_RunTwiceInARow_DeliversBothTimesWithTheSameSecretAndDatabase()
    {
        var contentRoot = Directory.CreateDirectory(Path.Combine(_home, "content-root")).FullName;
        var data = Path.Combine(_home, "data", "webhooks-app");

        var first = await RunAsync(contentRoot);
        var secret = await File.ReadAllTextAsync(Path.Combine(data, "endpoint-secret.txt"));
        var second = await RunAsync(contentRoot);

        first.Should().Contain("delivered and verified").And.Contain("Order 42 created");
        second.Should().Contain("delivered and verified").And.Contain("Order 42 created");
        (await File.ReadAllTextAsync(Path.Combine(data, "endpoint-secret.txt"))).Should().Be(secret, "the second run signs with the first run's secret");
        File.Exists(Path.Combine(data, "webhooks.db")).Should().BeTrue();
        Directory.EnumerateFileSystemEntries(contentRoot).Should().BeEmpty("the database is kept out of the content root");
    }

    private async Task<string> RunAsync(string contentRoot)
    {
        // XDG_DATA_HOME is where Environment.SpecialFolder.LocalApplicationData points on Linux.
        var (exitCode, stdout, stderr) = await SampleProcess.RunToExitAsync(
            "Webhooks.Samples.App", SafetyNet, contentRoot, new Dictionary<string, string> { ["XDG_DATA_HOME"] = Path.Combine(_home, "data") });

        exitCode.Should().Be(0, stdout + stderr);
        return stdout + stderr;
    }
}
