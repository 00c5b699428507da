using Webhooks.Core;

namespace Webhooks.Sender;

/// <summary>The arguments of <see cref="WebhookEndpointHealthOptions.OnSubscriptionDisabled"/>.</summary>
public readonly struct WebhookSubscriptionDisabledArguments
{
    /// <summary>Initializes a new instance of the <see cref="WebhookSubscriptionDisabledArguments"/> struct.</summary>
    /// <param name="subscription">The subscription, as disabled.</param>
    /// <param name="reason">Why it was disabled.</param>
    /// <param name="failingSince">When the failures began, for <see cref="WebhookSubscriptionDisabledReason.FailingTooLong"/>.</param>
    /// <param name="disabledAt">When it was disabled.</param>
    /// <param name="cancellationToken">Cancelled when the sender shuts down.</param>
    public WebhookSubscriptionDisabledArguments(
        WebhookSubscription subscription,
        WebhookSubscriptionDisabledReason reason,
        DateTimeOffset? failingSince,
        DateTimeOffset disabledAt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        Subscription = subscription;
        Reason = reason;
        FailingSince = failingSince;
        DisabledAt = disabledAt;
        CancellationToken = cancellationToken;
    }

    /// <summary>Gets the subscription as disabled: its id, tenant, URL and <see cref="WebhookSubscription.DisabledReason"/> text.</summary>
    public WebhookSubscription Subscription { get; }

    /// <summary>Gets why it was disabled.</summary>
    public WebhookSubscriptionDisabledReason Reason { get; }

    /// <summary>Gets when the failures began (the first failed attempt after the last success), for <see cref="WebhookSubscriptionDisabledReason.FailingTooLong"/>.</summary>
    public DateTimeOffset? FailingSince { get; }

    /// <summary>Gets when it was disabled.</summary>
    public DateTimeOffset DisabledAt { get; }

    /// <summary>Gets a token cancelled when the sender shuts down.</summary>
    public CancellationToken CancellationToken { get; }
}
