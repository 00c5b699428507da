using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhooks.Core;
using Webhooks.Receiver;

namespace Webhooks.Testing.Tests;

/// <summary>docs/testing.md quotes <see cref="DocsSnippets"/> verbatim, and the snippets work.</summary>
public sealed partial class DocsSnippetsTests
{
    [Fact]
    public void TestingDocs_Snippets_AreCopiedVerbatimFromTheCompiledFile()
    {
        var root = RepositoryRoot();
        var docs = File.ReadAllText(Path.Combine(root, "docs", "testing.md")).ReplaceLineEndings("\n");
        var source = File.ReadAllText(Path.Combine(root, "tests", "Webhooks.Testing.Tests", "DocsSnippets.cs")).ReplaceLineEndings("\n");

        var regions = Region().Matches(source);
        regions.Should().HaveCount(4);
        foreach (Match region in regions)
        {
            var body = string.Join('\n', region.Groups["body"].Value.TrimEnd('\n').Split('\n').Select(l => l.Length >= 8 ? l[8..] : l.TrimStart()));
            docs.Should().Contain("```csharp\n" + body + "\n```", $"docs/testing.md copies region '{region.Groups["name"].Value}'");
        }
    }

    [Fact]
    public async Task TestingDocs_ReceiverAndProviderSnippets_GetTheDocumentedAnswers()
    {
        var secret = WebhookSecret.Generate();
        var handled = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddWebhookReceiver(o => o.Secrets.Add(secret.RevealEncoded()))
            .AddHandler<OrderCreated>((_, _) =>
            {
                Interlocked.Increment(ref handled);
                return Task.CompletedTask;
            });
        builder.Services.AddWebhookReceiver("github", o => o.UseGitHub("my-github-secret")).AddFallbackHandler((_, _) => Task.CompletedTask);
        await using var app = builder.Build();
        app.MapWebhookReceiver("/webhooks");
        app.MapWebhookReceiver("/hooks/github", "github");
        await app.StartAsync();
        using var client = app.GetTestClient();

        var statuses = await DocsSnippets.ReceiverAsync(client, secret);
        var github = await DocsSnippets.GitHubAsync(client);

        statuses.Should().Equal(
            HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.OK);
        handled.Should().Be(2);
        github.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TestingDocs_PublisherSnippet_Passes()
    {
        var published = await DocsSnippets.PublisherAsync();

        published.DataJson.Should().Contain("42");
    }

    [Fact]
    public async Task TestingDocs_SenderSnippet_RetriesOverHalfAnHourOfFakeTime()
    {
        var (deliveries, elapsed) = await DocsSnippets.SenderAsync();

        deliveries.Should().HaveCount(4);
        elapsed.Should().BeGreaterThan(TimeSpan.FromMinutes(35));
    }

    [Fact]
    public void Readme_LinksTheTestingAndCliPages()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));

        readme.Should().Contain("](docs/testing.md)").And.Contain("](docs/cli.md)");
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Webhooks.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Webhooks.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"// #region (?<name>\w+)\n(?<body>.*?)\s*// #endregion \k<name>", RegexOptions.Singleline)]
    private static partial Regex Region();
}
