using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Sender;
using Webhooks.Sender.Sqlite;

namespace Webhooks.Samples.Tests;

/// <summary>The README's "In your app" snippets are copied from a program that CI builds against the packages.</summary>
public sealed partial class ReadmeTests
{
    [Fact]
    public void InYourAppSnippets_AreCopiedVerbatimFromTheAppSample()
    {
        var root = Repository.Root;
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var program = File.ReadAllText(Path.Combine(root, "samples", "Webhooks.Samples.App", "Program.cs")).ReplaceLineEndings("\n");

        var regions = Region().Matches(program);
        regions.Should().HaveCountGreaterThanOrEqualTo(6);
        foreach (Match region in regions)
        {
            var snippet = "```csharp\n" + region.Groups["body"].Value.TrimEnd('\n') + "\n```";
            readme.Should().Contain(snippet, $"the README copies region '{region.Groups["name"].Value}' of samples/Webhooks.Samples.App/Program.cs");
        }
    }

    [Fact]
    public void QuickStart_NamesTheTwoCommands()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));

        readme.Should().Contain("dotnet run --project samples/Webhooks.Samples.Quickstart")
            .And.Contain("dotnet test Webhooks.sln -c Release");
    }

    [Fact]
    public void ConfigurationReference_Example_BindsToTheOptionsClasses()
    {
        var page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "configuration.md")).ReplaceLineEndings("\n");
        var start = page.IndexOf("For example, in `appsettings.json`:", StringComparison.Ordinal);
        start.Should().BePositive();
        var json = JsonBlock().Match(page, start).Groups["json"].Value;

        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();
        var services = new ServiceCollection();
        services.AddWebhookSender(configuration.GetSection(WebhookSenderOptions.SectionName));
        using var provider = services.BuildServiceProvider();
        var sender = provider.GetRequiredService<IOptions<WebhookSenderOptions>>().Value;
        var sqlite = configuration.GetSection(SqliteWebhookStoreOptions.SectionName).Get<SqliteWebhookStoreOptions>()!;

        sender.RetryDelays.Should().HaveCount(4);
        sender.AttemptTimeout.Should().Be(TimeSpan.FromSeconds(10));
        sender.Ssrf.AllowedNetworks.Should().ContainSingle().Which.Should().EndWith("/16", "the example allows one internal subnet");
        sqlite.SucceededRetention.Should().Be(TimeSpan.FromDays(3));
        configuration["Webhooks:Receiver:Secrets:0"].Should().StartWith("whsec_");
    }

    [Fact]
    public void ConfigurationReference_NoRetriesExample_BindsMaxAttemptsOfOneWithTheDefaultListLeftEmpty()
    {
        var page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "configuration.md")).ReplaceLineEndings("\n");
        var start = page.IndexOf("### Retry schedule", StringComparison.Ordinal);
        start.Should().BePositive();
        var json = JsonBlock().Match(page, start).Groups["json"].Value;

        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();
        var services = new ServiceCollection();
        services.AddWebhookSender();
        services.Configure<WebhookSenderOptions>(configuration.GetSection(WebhookSenderOptions.SectionName));
        using var provider = services.BuildServiceProvider();
        var sender = provider.GetRequiredService<IOptions<WebhookSenderOptions>>().Value;

        sender.MaxAttempts.Should().Be(1);
        sender.RetryDelays.Should().BeEmpty();
    }

    [GeneratedRegex(@"```json\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    [GeneratedRegex(@"// #region (?<name>\w+)\n(?<body>.*?)// #endregion \k<name>", RegexOptions.Singleline)]
    private static partial Regex Region();
}
