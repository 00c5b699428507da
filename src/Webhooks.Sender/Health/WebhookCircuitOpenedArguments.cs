using Webhooks.Core;

namespace Webhooks.Sender;

/// <summary>The arguments of <see cref="WebhookEndpointHealthOptions.OnCircuitOpened"/>.</summary>
public readonly struct WebhookCircuitOpenedArguments
{
    /// <summary>Initializes a new instance of the <see cref="WebhookCircuitOpenedArguments"/> struct.</summary>
    /// <param name="subscription">The subscription whose endpoint is paused.</param>
    /// <param name="breakDuration">How long attempts to it pause before a probe.</param>
    /// <param name="cancellationToken">Cancelled when the sender shuts down.</param>
    public WebhookCircuitOpenedArguments(WebhookSubscription subscription, TimeSpan breakDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        Subscription = subscription;
        BreakDuration = breakDuration;
        CancellationToken = cancellationToken;
    }

    /// <summary>Gets the subscription whose endpoint is paused.</summary>
    public WebhookSubscription Subscription { get; }

    /// <summary>Gets how long attempts to it pause before one probe attempt.</summary>
    public TimeSpan BreakDuration { get; }

    /// <summary>Gets a token cancelled when the sender shuts down.</summary>
    public CancellationToken CancellationToken { get; }
}
