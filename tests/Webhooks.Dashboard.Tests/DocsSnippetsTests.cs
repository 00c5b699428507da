using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Webhooks.Testing.Shared;

namespace Webhooks.Dashboard.Tests;

/// <summary>docs/dashboard.md quotes <see cref="DocsSnippets"/> verbatim, and the snippets work.</summary>
public sealed partial class DocsSnippetsTests
{
    [Fact]
    public void DashboardDocs_Snippets_AreCopiedVerbatimFromTheCompiledFile()
    {
        var docs = Repository.ReadText("docs/dashboard.md");
        var regions = Repository.SnippetRegions("tests/Webhooks.Dashboard.Tests/DocsSnippets.cs");

        regions.Should().HaveCount(3);
        foreach (var (name, body) in regions)
        {
            docs.Should().Contain("```csharp\n" + body + "\n```", $"docs/dashboard.md copies region '{name}'");
        }
    }

    [Fact]
    public async Task DashboardDocs_Snippets_ServeTheDashboardAndRefuseThePortalWithoutATenant()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        DocsSnippets.AddServices(builder);
        await using var app = builder.Build();
        DocsSnippets.Map(app);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var dashboard = await client.GetAsync("/webhooks/dashboard");
        var portal = await client.GetAsync("/account/webhooks/endpoints");

        dashboard.StatusCode.Should().Be(HttpStatusCode.OK);
        (await dashboard.Content.ReadAsStringAsync()).Should().Contain("Overview");
        portal.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        await app.StopAsync();
    }
}
