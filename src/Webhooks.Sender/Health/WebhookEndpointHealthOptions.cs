namespace Webhooks.Sender;

/// <summary>
/// Endpoint health: when the sender disables a subscription whose endpoint keeps failing, when it pauses an endpoint
/// that is failing right now (the circuit breaker), and how fast it may call one endpoint (the rate limit).
/// </summary>
/// <remarks>
/// <para>
/// A subscription is disabled when its endpoint answers <c>410 Gone</c>, or when it has failed without a single
/// success for <see cref="DisableAfter"/>. Its pending deliveries then end failed with the reason, and
/// <see cref="OnSubscriptionDisabled"/> is raised so the application can tell the endpoint's owner. After the
/// subscription is enabled again, the failed deliveries can be sent again with <c>IWebhookDeliveries.RecoverAsync</c>.
/// </para>
/// <para>
/// The circuit breaker is per subscription and per sender process: after <see cref="BreakAfterFailures"/> failed
/// attempts in a row, no attempt is made to that endpoint for <see cref="BreakDuration"/>; then one probe attempt is
/// made, and its outcome closes the circuit or opens it again for twice as long (up to <see cref="MaxBreakDuration"/>).
/// A paused delivery keeps its place in the queue and its attempt count: pausing is not failing.
/// </para>
/// </remarks>
public sealed class WebhookEndpointHealthOptions
{
    /// <summary>
    /// Gets or sets how long a subscription may fail without any success before the sender disables it, or
    /// <see langword="null"/> to never disable a subscription for failing (410 Gone still disables it).
    /// </summary>
    /// <remarks>
    /// The window starts at the first failed attempt after the last success (or after the subscription last changed,
    /// for example when it was enabled again) and is measured by each sender process from what it sees; before
    /// disabling, the store is asked whether any delivery of the subscription succeeded meanwhile.
    /// A process that restarts starts the window again, so a restart can delay a disable but never hasten it.
    /// </remarks>
    /// <value>The default is 5 days.</value>
    public TimeSpan? DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>
    /// Gets or sets how many failed attempts in a row open an endpoint's circuit, pausing attempts to it for
    /// <see cref="BreakDuration"/>. Zero turns the circuit breaker off.
    /// </summary>
    /// <value>The default is 5.</value>
    public int BreakAfterFailures { get; set; } = 5;

    /// <summary>Gets or sets how long an open circuit pauses attempts before one probe attempt is allowed.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the longest pause: each failed probe doubles the pause, up to this. Set it equal to
    /// <see cref="BreakDuration"/> for a fixed pause.
    /// </summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan MaxBreakDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets the most requests per second to one endpoint for subscriptions that do not set
    /// <c>WebhookSubscription.RateLimitPerSecond</c>, or <see langword="null"/> for no limit. A delivery over the limit
    /// waits for its turn; it is not failed and its attempt count does not change.
    /// </summary>
    /// <value>The default is <see langword="null"/>: no limit.</value>
    public int? DefaultRateLimitPerSecond { get; set; }

    /// <summary>
    /// Gets or sets the callback raised once when the sender disables a subscription (410 Gone, or failing for
    /// <see cref="DisableAfter"/>): the place to tell the endpoint's owner. An exception it throws is logged and
    /// does not undo the disable.
    /// </summary>
    /// <value>The default is <see langword="null"/>: the disable is only logged.</value>
    public Func<WebhookSubscriptionDisabledArguments, ValueTask>? OnSubscriptionDisabled { get; set; }

    /// <summary>
    /// Gets or sets the callback raised when an endpoint's circuit opens (attempts to it pause). An exception it
    /// throws is logged and ignored.
    /// </summary>
    /// <value>The default is <see langword="null"/>: the pause is only logged.</value>
    public Func<WebhookCircuitOpenedArguments, ValueTask>? OnCircuitOpened { get; set; }
}
