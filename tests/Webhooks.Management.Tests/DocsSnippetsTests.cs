using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Testing.Shared;

namespace Webhooks.Management.Tests;

/// <summary>docs/management.md quotes <see cref="DocsSnippets"/> verbatim, and the snippets work.</summary>
public sealed partial class DocsSnippetsTests
{
    [Fact]
    public void ManagementDocs_Snippets_AreCopiedVerbatimFromTheCompiledFile()
    {
        var docs = Repository.ReadText("docs/management.md");
        var regions = Repository.SnippetRegions("tests/Webhooks.Management.Tests/DocsSnippets.cs");

        regions.Should().HaveCount(3);
        foreach (var (name, body) in regions)
        {
            docs.Should().Contain("```csharp\n" + body + "\n```", $"docs/management.md copies region '{name}'");
        }
    }

    [Fact]
    public async Task ManagementDocs_Snippets_ScopeCustomersToTheirTenantAndLetOperatorsSeeAll()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(HeaderAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
        builder.Services.AddAuthorization();
        DocsSnippets.AddServices(builder);
        builder.Services.Configure<Sender.WebhookSenderOptions>(o => o.DispatcherEnabled = false);
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        DocsSnippets.Map(app);
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var anonymous = await client.GetAsync(new Uri("/api/webhooks/endpoints", UriKind.Relative));
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using var created = await SendAsync(client, HttpMethod.Post, "/api/webhooks/endpoints", "tenant=acme", new { url = "https://hooks.example.com/acme" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenantId").GetString().Should().Be("acme");

        using var other = await SendAsync(client, HttpMethod.Get, "/api/webhooks/endpoints", "tenant=globex");
        (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").GetArrayLength().Should().Be(0);

        using var customerPublish = await SendAsync(client, HttpMethod.Post, "/api/webhooks/messages", "tenant=acme", new { eventType = "order.created", data = new { orderId = 1 } });
        customerPublish.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed, "customers do not publish");

        using var operatorPublish = await SendAsync(client, HttpMethod.Post, "/admin/webhooks/messages", "role=webhook-operator", new { eventType = "order.created", data = new { orderId = 1 }, tenantId = "acme" });
        operatorPublish.StatusCode.Should().Be(HttpStatusCode.Accepted);
        using var deliveries = await SendAsync(client, HttpMethod.Get, "/admin/webhooks/deliveries", "role=webhook-operator");
        (await deliveries.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").GetArrayLength().Should().Be(1, "acme's endpoint received the message");

        using var notOperator = await SendAsync(client, HttpMethod.Get, "/admin/webhooks/endpoints", "tenant=acme");
        notOperator.StatusCode.Should().Be(HttpStatusCode.Forbidden);

        using var catalog = await SendAsync(client, HttpMethod.Get, "/api/webhooks/event-types", "tenant=acme");
        (await catalog.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("eventType").GetString())
            .Should().Equal("invoice.paid", "order.created");
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string user, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add(HeaderAuthentication.Header, user);
        return await client.SendAsync(request);
    }

    /// <summary>A test scheme: <c>X-Test-User: tenant=acme</c> or <c>role=webhook-operator</c> signs the caller in with that claim.</summary>
    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Test";
        public const string Header = "X-Test-User";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers[Header].ToString().Split('=', 2) is not [var type, var value])
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(type == "role" ? ClaimTypes.Role : type, value)], SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
    }
}
