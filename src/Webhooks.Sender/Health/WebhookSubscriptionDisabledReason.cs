namespace Webhooks.Sender;

/// <summary>Why the sender disabled a subscription.</summary>
public enum WebhookSubscriptionDisabledReason
{
    /// <summary>The endpoint answered <c>410 Gone</c>: it asked not to be called again.</summary>
    EndpointGone = 0,

    /// <summary>Every attempt failed for at least <see cref="WebhookEndpointHealthOptions.DisableAfter"/>.</summary>
    FailingTooLong = 1,
}
