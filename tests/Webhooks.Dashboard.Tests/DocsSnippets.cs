using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Sender;

namespace Webhooks.Dashboard.Tests;

/// <summary>The snippets of docs/dashboard.md, compiled here and run by <see cref="DocsSnippetsTests"/>.</summary>
internal static class DocsSnippets
{
    public static void AddServices(WebApplicationBuilder builder)
    {
        // #region services
        builder.Services.AddWebhookSender();      // .UseSqlite(...) or .UsePostgreSql(...)
        builder.Services.AddAntiforgery();        // the pages' forms carry antiforgery tokens
        // #endregion services
    }

    public static void Map(WebApplication app)
    {
        // #region dashboard
        // Operators: every tenant. Local requests only until authorization is configured:
        app.MapWebhookDashboard("/webhooks/dashboard");
        //  .RequireAuthorization("webhook-operators");
        // #endregion dashboard

        // #region portal
        // One tenant per request, for example from a claim of the signed-in user; none -> 403.
        app.MapWebhookPortal("/account/webhooks", new WebhookPortalOptions
        {
            ResolveTenant = static a => ValueTask.FromResult(a.HttpContext.User.FindFirst("tenant")?.Value),
            Title = "Your webhooks",
        }
        .AddEventType<OrderCreated>()                  // the catalog tenants pick event types from
        .AddEventType<InvoicePaid>());
        // #endregion portal
    }

    [Core.WebhookEvent("order.created")]
    public sealed record OrderCreated(int OrderId);

    [Core.WebhookEvent("invoice.paid")]
    public sealed record InvoicePaid(string InvoiceId);
}
