using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Core;
using Webhooks.Testing.Shared;

namespace Webhooks.Receiver.Sqlite.Tests;

/// <summary>docs/inbox.md quotes <see cref="DocsSnippets"/> verbatim, and the snippets work.</summary>
public sealed partial class DocsSnippetsTests : IDisposable
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private readonly string _directory = Directory.CreateTempSubdirectory("webhooks-inbox-docs-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void InboxDocs_Snippets_AreCopiedVerbatimFromTheCompiledFile()
    {
        var docs = Repository.ReadText("docs/inbox.md");
        var regions = Repository.SnippetRegions("tests/Webhooks.Receiver.Sqlite.Tests/DocsSnippets.cs");

        regions.Should().HaveCount(4);
        foreach (var (name, body) in regions)
        {
            docs.Should().Contain("```csharp\n" + body + "\n```", $"docs/inbox.md copies region '{name}'");
        }
    }

    [Fact]
    public async Task InboxDocs_QuickStart_AcceptsAt202_RetriesTheHandler_ReplaysAndReportsHealth()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["Webhooks:Secret"] = Secret;
        builder.Configuration["ConnectionStrings:inbox"] = $"Data Source={Path.Combine(_directory, "inbox.db")}";
        var log = new OrderLog();
        builder.Services.AddSingleton(log);
        DocsSnippets.AddServices(builder);
        await using var app = builder.Build();
        DocsSnippets.Map(app);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var accepted = await client.SendAsync(Signed("msg_docs", """{"type":"order.created","timestamp":"2026-01-01T00:00:00Z","data":{"orderId":42}}"""));
        var orderId = await log.First.WaitAsync(TimeSpan.FromSeconds(30));
        using var health = await client.GetAsync("/healthz");
        var replayed = await DocsSnippets.ReplayAsync(app.Services);

        accepted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        orderId.Should().Be(42);
        health.StatusCode.Should().Be(HttpStatusCode.OK);
        (await health.Content.ReadAsStringAsync()).Should().Be("Healthy");
        replayed.Should().Be(0, "nothing died");
        await app.StopAsync();
    }

    [Fact]
    public async Task InboxDocs_PostgreSql_RegistersTheNamedReceiversInboxFromConfiguration()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["GitHub:WebhookSecret"] = "gh-secret";
        builder.Configuration["ConnectionStrings:webhooks"] = "Host=127.0.0.1;Database=webhooks";
        builder.Configuration["Webhooks:Inbox:GitHub:MaxAttempts"] = "3";
        DocsSnippets.AddPostgreSql(builder);
        await using var app = builder.Build();

        app.Services.GetRequiredService<IOptionsMonitor<WebhookInboxOptions>>().Get("github").MaxAttempts.Should().Be(3);
        app.Services.GetRequiredService<Inbox.IWebhookInboxStore>().Should().BeOfType<PostgreSql.PostgreSqlWebhookInboxStore>();
    }

    private static HttpRequestMessage Signed(string id, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks") { Content = new ByteArrayContent(body) };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", now.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhook.Sign(WebhookSecret.Parse(Secret), id, now, body));
        return request;
    }
}
