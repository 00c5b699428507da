using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Sender;

namespace Webhooks.Dashboard.Tests;

/// <summary>RequireAuthorization on the mapping: the policy decides, from anywhere, and the local-only rule is off.</summary>
public sealed class DashboardAuthorizationTests
{
    [Fact]
    public async Task RequireAuthorization_RemoteOperator_GetsThePagesAndAnonymousGets401()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddWebhookSender();
        builder.Services.AddAntiforgery();
        builder.Services.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>("Test", null);
        builder.Services.AddAuthorization(o => o.AddPolicy("operators", p => p.RequireClaim("role", "operator")));
        await using var app = builder.Build();
        app.Use((context, next) =>
        {
            // Every request looks remote.
            context.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.7");
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapWebhookDashboard("/webhooks").RequireAuthorization("operators");
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var anonymous = await client.GetAsync("/webhooks");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/webhooks/endpoints");
        request.Headers.Add("X-Role", "operator");
        var operatorPage = await client.SendAsync(request);

        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        operatorPage.StatusCode.Should().Be(HttpStatusCode.OK);
        (await operatorPage.Content.ReadAsStringAsync()).Should().Contain("Endpoints").And.NotContain("Local requests only");
        await app.StopAsync();
    }

    /// <summary>Signs a request in when it has an <c>X-Role</c> header, with that role.</summary>
    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue("X-Role", out var role))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim("role", role.ToString())], Scheme.Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
        }
    }
}
