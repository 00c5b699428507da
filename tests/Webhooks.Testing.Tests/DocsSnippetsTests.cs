using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhooks.Core;
using Webhooks.Receiver;
using Webhooks.Testing.Shared;

namespace Webhooks.Testing.Tests;

/// <summary>docs/testing.md quotes <see cref="DocsSnippets"/> verbatim, and the snippets work.</summary>
public sealed class DocsSnippetsTests
{
    [Fact]
    public void TestingDocs_Snippets_AreCopiedVerbatimFromTheCompiledFile()
    {
        var docs = Repository.ReadText("docs/testing.md");

        var regions = Repository.SnippetRegions("tests/Webhooks.Testing.Tests/DocsSnippets.cs");
        regions.Should().HaveCount(4);
        foreach (var (name, body) in regions)
        {
            docs.Should().Contain("```csharp\n" + body + "\n```", $"docs/testing.md copies region '{name}'");
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
        var readme = Repository.ReadText("README.md");

        readme.Should().Contain("](docs/testing.md)").And.Contain("](docs/cli.md)");
    }
}
