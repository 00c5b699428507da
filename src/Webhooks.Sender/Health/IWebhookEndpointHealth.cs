namespace Webhooks.Sender;

/// <summary>
/// What the sender's endpoint circuit breaker knows now, for dashboards and diagnostics. The breaker is per process:
/// in a scale-out deployment each sender instance answers for the attempts it made.
/// </summary>
public interface IWebhookEndpointHealth
{
    /// <summary>Gets when attempts to an endpoint resume, while its circuit is open after failures in a row.</summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <returns>The time attempts resume, or <see langword="null"/> when they run now.</returns>
    DateTimeOffset? GetPausedUntil(string subscriptionId);
}
