using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Webhooks.Testing.Shared;

namespace Webhooks.Sender.Tests.Health;

/// <summary>README.md and docs/sending.md quote <see cref="HealthChecksDocsSnippet"/> verbatim, and the snippet works.</summary>
public sealed class HealthChecksDocsSnippetTests
{
    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/sending.md")]
    public void Docs_QuoteTheSnippetVerbatim(string page)
    {
        var docs = Repository.ReadText(page);
        var bodies = Repository.SnippetRegions("tests/Webhooks.Sender.Tests/Health/HealthChecksDocsSnippet.cs").Select(r => r.Body).ToList();

        bodies.Should().HaveCount(2);
        docs.Should().Contain("```csharp\n" + string.Join("\n\n", bodies) + "\n```", $"{page} copies both regions in one block");
    }

    [Fact]
    public async Task Snippet_ServesTheSendersHealthOnLoopback()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        HealthChecksDocsSnippet.AddServices(builder);
        await using var app = builder.Build();
        HealthChecksDocsSnippet.Map(app);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var response = await client.GetAsync("/healthz/ready");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Healthy");
        await app.StopAsync();
    }
}
