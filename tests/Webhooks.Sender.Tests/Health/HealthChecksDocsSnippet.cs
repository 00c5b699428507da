using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Sender.Tests.Health;

/// <summary>The health check snippets of README.md and docs/sending.md, compiled here and run by <see cref="HealthChecksDocsSnippetTests"/>.</summary>
internal static class HealthChecksDocsSnippet
{
    public static void AddServices(WebApplicationBuilder builder)
    {
        // #region services
        builder.Services.AddWebhookSender();
        builder.Services.AddHealthChecks()
            .AddWebhookSender(o => o.DueDeliveryDegradedAfter = TimeSpan.FromMinutes(10), tags: ["ready"]);
        // #endregion services
    }

    public static void Map(WebApplication app)
    {
        // #region map
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        // #endregion map
    }
}
