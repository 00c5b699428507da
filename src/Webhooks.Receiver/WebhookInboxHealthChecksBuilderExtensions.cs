using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver;

/// <summary>Adds the inbox health check.</summary>
public static class WebhookInboxHealthChecksBuilderExtensions
{
    /// <summary>The default name of the check: <c>webhooks-inbox</c>.</summary>
    public const string DefaultName = "webhooks-inbox";

    /// <summary>The default age of the oldest pending item above which the inbox is degraded: 5 minutes.</summary>
    public static readonly TimeSpan DefaultPendingThreshold = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Adds a check of the webhook inbox: unhealthy (or <paramref name="failureStatus"/>) when its store cannot be read,
    /// degraded when the oldest pending item was received longer than <paramref name="pendingThreshold"/> ago (the
    /// processor is behind or stopped), else healthy. The data holds <c>pending</c>, <c>dead</c> and
    /// <c>oldestPendingAgeSeconds</c>. Map it with <c>app.MapHealthChecks("/healthz")</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="pendingThreshold">The age of the oldest pending item that makes the inbox degraded; 5 minutes when null.</param>
    /// <param name="failureStatus">The status when the store fails; unhealthy when null.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>ready</c>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pendingThreshold"/> is not positive.</exception>
    public static IHealthChecksBuilder AddWebhookInbox(
        this IHealthChecksBuilder builder, string name = DefaultName, TimeSpan? pendingThreshold = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var threshold = pendingThreshold ?? DefaultPendingThreshold;
        if (threshold <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(pendingThreshold), threshold, "The pending threshold must be positive.");
        }

        return builder.Add(new HealthCheckRegistration(
            name,
            services => new WebhookInboxHealthCheck(services.GetService<IWebhookInbox>(), services.GetService<TimeProvider>() ?? TimeProvider.System, threshold),
            failureStatus,
            tags));
    }
}
