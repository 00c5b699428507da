namespace Webhooks.Cli.Tests;

public sealed class ProgramTests
{
    [Theory]
    [InlineData("sign", "Usage: webhooks sign --secret S --id I --timestamp T --body-file F")]
    [InlineData("verify", "Usage: webhooks verify --secret S --id I --timestamp T --signature H --body-file F [--now T]")]
    [InlineData("send", "Usage: webhooks send URL --secret S --event TYPE --body-file F")]
    [InlineData("listen", "Usage: webhooks listen --port P [--secret S]")]
    public async Task Help_EveryCommand_PrintsItsUsage_Exit0(string command, string usage)
    {
        var result = await Cli.RunAsync(command, "--help");
        var shortForm = await Cli.RunAsync(command, "-h");

        result.ExitCode.Should().Be(0);
        result.Out.Should().StartWith(usage).And.Contain("--scheme");
        shortForm.Out.Should().Be(result.Out);
    }

    [Fact]
    public async Task Help_TopLevel_ListsTheCommands()
    {
        var result = await Cli.RunAsync("--help");

        result.ExitCode.Should().Be(0);
        result.Out.Should().Contain("sign").And.Contain("verify").And.Contain("send").And.Contain("listen");
    }

    [Fact]
    public async Task NoArguments_Exit2_WithUsageOnStandardError()
    {
        var result = await Cli.RunAsync();

        result.ExitCode.Should().Be(2);
        result.Err.Should().Contain("Usage: webhooks <command>");
    }

    [Fact]
    public async Task UnknownCommand_Exit2_NamesIt()
    {
        var result = await Cli.RunAsync("publish");

        result.ExitCode.Should().Be(2);
        result.Err.Should().Contain("unknown command 'publish'");
    }
}
