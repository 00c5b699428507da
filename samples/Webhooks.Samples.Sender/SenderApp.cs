using Webhooks.Dashboard;
using Webhooks.Management;
using Webhooks.Sender;

namespace Webhooks.Samples.Sender;

/// <summary>The sender sample: <c>AddWebhookSender().UseSqlite(...)</c>, the management API, its OpenAPI document and the dashboard.</summary>
internal static class SenderApp
{
    /// <summary>The management API's path.</summary>
    public const string ApiPrefix = "/api/webhooks";

    /// <summary>Builds the app; <paramref name="configure"/> lets a test swap the server or settings.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.AddWebhookSender(builder.Configuration.GetSection(WebhookSenderOptions.SectionName))
            .UseSqlite(builder.Configuration.GetConnectionString("Webhooks") ?? DefaultConnectionString())
            .AddEventType<OrderCreated>("An order was placed.");
        builder.Services.AddAntiforgery();
        builder.Services.AddOpenApi();

        var app = builder.Build();

        // The whole API in one line. It sees every tenant (no ResolveScope) and has no authentication of its own: a real
        // app chains .RequireAuthorization(...) and, for its customers, sets o.UseTenantClaim("tenant").
        app.MapWebhookManagementApi(ApiPrefix, o => o.EnablePublish = true);

        // The OpenAPI document of the API (and of anything else the app maps) at /openapi/v1.json.
        app.MapOpenApi();

        // The operator dashboard at /dashboard: local requests only until RequireAuthorization(...) is chained.
        app.MapWebhookDashboard("/dashboard");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var url in app.Urls)
            {
                app.Logger.LogInformation("Webhook management API: {Url}{Prefix}, OpenAPI: {Url}/openapi/v1.json, dashboard: {Url}/dashboard", url, ApiPrefix, url, url);
            }
        });
        return app;
    }

    // The SQLite file lives outside the content root: ASP.NET Core watches the content root for configuration changes,
    // and every write to a file there would wake that watcher.
    private static string DefaultConnectionString()
    {
        var directory = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "Webhooks.Samples.Sender");
        Directory.CreateDirectory(directory);
        return $"Data Source={Path.Combine(directory, "webhooks.db")}";
    }
}
