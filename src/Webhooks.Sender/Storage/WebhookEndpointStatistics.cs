namespace Webhooks.Sender;

/// <summary>The attempts made to one endpoint in a window.</summary>
/// <param name="SubscriptionId">The subscription id.</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="SucceededAttempts">How many of them got a 2xx answer.</param>
/// <param name="P50">The median attempt duration (nearest rank).</param>
/// <param name="P95">The 95th percentile attempt duration (nearest rank).</param>
public sealed record WebhookEndpointStatistics(string SubscriptionId, long Attempts, long SucceededAttempts, TimeSpan P50, TimeSpan P95)
{
    /// <summary>Gets the share of attempts that succeeded, from 0 to 1 (0 when there was none).</summary>
    public double SuccessRate => Attempts == 0 ? 0 : (double)SucceededAttempts / Attempts;
}
