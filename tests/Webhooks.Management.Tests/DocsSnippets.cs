using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Core;
using Webhooks.Sender;

namespace Webhooks.Management.Tests;

/// <summary>The snippets of docs/management.md, compiled here and run by <see cref="DocsSnippetsTests"/>.</summary>
internal static class DocsSnippets
{
    public static void AddServices(WebApplicationBuilder builder)
    {
        // #region services
        builder.Services.AddWebhookSender()                        // .UseSqlite(...) or .UsePostgreSql(...)
            .AddEventType<OrderCreated>("An order was placed.")    // the event catalog, a JSON Schema per type
            .AddEventType<InvoicePaid>("An invoice was paid.");
        // #endregion services
    }

    public static void Map(WebApplication app)
    {
        // #region customers
        // Your customers: each sees and changes only its own tenant's data (the "tenant" claim); none -> 403.
        app.MapWebhookManagementApi("/api/webhooks", o => o.UseTenantClaim("tenant"))
            .RequireAuthorization();
        // #endregion customers

        // #region operators
        // Your operators: every tenant, and publishing, under another path and operation id prefix.
        app.MapWebhookManagementApi("/admin/webhooks", o =>
        {
            o.EnablePublish = true;
            o.EndpointNamePrefix = "AdminWebhooks";
            o.ResolveScope = static a => ValueTask.FromResult(a.HttpContext.User.IsInRole("webhook-operator")
                ? WebhookManagementScope.AllTenants
                : WebhookManagementScope.Denied);
        })
        .RequireAuthorization();
        // #endregion operators
    }

    [WebhookEvent("order.created")]
    public sealed record OrderCreated(int OrderId, decimal Total);

    [WebhookEvent("invoice.paid")]
    public sealed record InvoicePaid(string InvoiceId);
}
