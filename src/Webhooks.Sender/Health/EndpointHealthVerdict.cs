namespace Webhooks.Sender.Health;

/// <summary>What <see cref="EndpointHealthPolicy"/> decided about a failed attempt's subscription.</summary>
/// <param name="Disable">Why to disable the subscription now, or <see langword="null"/> to keep it.</param>
/// <param name="FailingSince">When its failures began, as this process saw them.</param>
internal readonly record struct EndpointHealthVerdict(WebhookSubscriptionDisabledReason? Disable, DateTimeOffset FailingSince)
{
    /// <summary>Gets a value indicating whether the subscription should be disabled.</summary>
    public bool ShouldDisable => Disable is not null;
}
