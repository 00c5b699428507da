namespace Webhooks.Sender.Health;

/// <summary>The circuit breaker's state through <see cref="IWebhookEndpointHealth"/>.</summary>
internal sealed class WebhookEndpointHealth(EndpointHealthMonitor monitor, TimeProvider time) : IWebhookEndpointHealth
{
    public DateTimeOffset? GetPausedUntil(string subscriptionId)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        return monitor.Breaker.GetPausedUntil(subscriptionId, time.GetUtcNow());
    }
}
