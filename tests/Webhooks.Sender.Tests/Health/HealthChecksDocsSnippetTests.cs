using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Webhooks.Sender.Tests.Health;

/// <summary>README.md and docs/sending.md quote <see cref="HealthChecksDocsSnippet"/> verbatim, and the snippet works.</summary>
public sealed partial class HealthChecksDocsSnippetTests
{
    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/sending.md")]
    public void Docs_QuoteTheSnippetVerbatim(string page)
    {
        var root = RepositoryRoot();
        var docs = File.ReadAllText(Path.Combine(root, page)).ReplaceLineEndings("\n");
        var source = File.ReadAllText(Path.Combine(root, "tests", "Webhooks.Sender.Tests", "Health", "HealthChecksDocsSnippet.cs")).ReplaceLineEndings("\n");

        var regions = Region().Matches(source);
        regions.Should().HaveCount(2);
        var bodies = regions.Select(r => string.Join('\n', r.Groups["body"].Value.TrimEnd('\n').Split('\n').Select(l => l.Length >= 8 ? l[8..] : l.TrimStart())));
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

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Webhooks.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Webhooks.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"// #region (?<name>\w+)\n(?<body>.*?)\s*// #endregion \k<name>", RegexOptions.Singleline)]
    private static partial Regex Region();
}
