using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Sender.Health;
using Webhooks.Sender.Storage;

namespace Webhooks.Sender;

/// <summary>Adds the sender's health check to <c>services.AddHealthChecks()</c>.</summary>
public static class WebhookSenderHealthChecksBuilderExtensions
{
    /// <summary>The default name of the check: <c>webhooks-sender</c>.</summary>
    public const string DefaultName = "webhooks-sender";

    /// <summary>
    /// Adds a check of the webhook sender registered with <c>AddWebhookSender</c>. It reports
    /// <paramref name="failureStatus"/> (default <see cref="HealthStatus.Unhealthy"/>) when the delivery store cannot be
    /// reached or this instance's dispatch loop has not started, has stopped or has stalled, and
    /// <see cref="HealthStatus.Degraded"/> when the oldest due delivery has waited longer than
    /// <see cref="WebhookSenderHealthCheckOptions.DueDeliveryDegradedAfter"/>. Its data holds <c>dispatcher</c>
    /// (<c>running</c>, <c>not_started</c>, <c>stopped</c>, <c>disabled</c> or <c>absent</c>),
    /// <c>disabled_endpoints</c>, and, when something is due, <c>oldest_due_at</c> and <c>oldest_due_age_seconds</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configure">Sets the thresholds, or <see langword="null"/> for the defaults.</param>
    /// <param name="name">The check's name; default <see cref="DefaultName"/>.</param>
    /// <param name="failureStatus">The status reported on failure; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>ready</c>).</param>
    /// <param name="timeout">How long the check may take; default 10 seconds.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A threshold set by <paramref name="configure"/> is not valid; the message names it.</exception>
    public static IHealthChecksBuilder AddWebhookSender(
        this IHealthChecksBuilder builder,
        Action<WebhookSenderHealthCheckOptions>? configure = null,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new WebhookSenderHealthCheckOptions();
        configure?.Invoke(options);
        options.ThrowIfInvalid();
        return builder.Add(new HealthCheckRegistration(
            name ?? DefaultName,
            services => new WebhookSenderHealthCheck(
                services.GetService<IWebhookStore>(),
                services.GetServices<IHostedService>(),
                services.GetRequiredService<IOptions<WebhookSenderOptions>>(),
                services.GetService<TimeProvider>() ?? TimeProvider.System,
                options),
            failureStatus,
            tags,
            timeout ?? TimeSpan.FromSeconds(10)));
    }
}
