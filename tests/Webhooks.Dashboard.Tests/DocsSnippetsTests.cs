using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Webhooks.Dashboard.Tests;

/// <summary>docs/dashboard.md quotes <see cref="DocsSnippets"/> verbatim, and the snippets work.</summary>
public sealed partial class DocsSnippetsTests
{
    [Fact]
    public void DashboardDocs_Snippets_AreCopiedVerbatimFromTheCompiledFile()
    {
        var root = RepositoryRoot();
        var docs = File.ReadAllText(Path.Combine(root, "docs", "dashboard.md")).ReplaceLineEndings("\n");
        var source = File.ReadAllText(Path.Combine(root, "tests", "Webhooks.Dashboard.Tests", "DocsSnippets.cs")).ReplaceLineEndings("\n");

        var regions = Region().Matches(source);
        regions.Should().HaveCount(3);
        foreach (Match region in regions)
        {
            var body = string.Join('\n', region.Groups["body"].Value.TrimEnd('\n').Split('\n').Select(l => l.Length >= 8 ? l[8..] : l.TrimStart()));
            docs.Should().Contain("```csharp\n" + body + "\n```", $"docs/dashboard.md copies region '{region.Groups["name"].Value}'");
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

    private static string RepositoryRoot()
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
