namespace Webhooks.Sender;

/// <summary>Thresholds of the sender's health check (<see cref="WebhookSenderHealthChecksBuilderExtensions.AddWebhookSender"/>).</summary>
public sealed class WebhookSenderHealthCheckOptions
{
    /// <summary>
    /// Gets or sets how long the oldest due delivery may wait for its attempt before the sender reports
    /// <c>Degraded</c> (the dispatchers are behind, or none is running). Default 5 minutes.
    /// </summary>
    public TimeSpan DueDeliveryDegradedAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets how long this instance's dispatch loop may go without a round before it counts as stalled and the
    /// sender reports the registration's failure status. The loop goes round at least once per
    /// <see cref="WebhookSenderOptions.PollInterval"/>; a threshold below three poll intervals is raised to that.
    /// Default 1 minute.
    /// </summary>
    public TimeSpan DispatcherStalledAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets how many disabled endpoints the check counts at most (it pages through them); a larger number is
    /// reported as this many with <c>disabled_endpoints_capped</c> set. Default 1000, at least 1.
    /// </summary>
    public int MaxDisabledEndpointsCounted { get; set; } = 1000;

    internal void ThrowIfInvalid()
    {
        if (DueDeliveryDegradedAfter <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DueDeliveryDegradedAfter), DueDeliveryDegradedAfter, "WebhookSenderHealthCheckOptions.DueDeliveryDegradedAfter must be positive.");
        }

        if (DispatcherStalledAfter <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DispatcherStalledAfter), DispatcherStalledAfter, "WebhookSenderHealthCheckOptions.DispatcherStalledAfter must be positive.");
        }

        if (MaxDisabledEndpointsCounted < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDisabledEndpointsCounted), MaxDisabledEndpointsCounted, "WebhookSenderHealthCheckOptions.MaxDisabledEndpointsCounted must be at least 1.");
        }
    }
}
