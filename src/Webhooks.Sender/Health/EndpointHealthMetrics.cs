using System.Diagnostics.Metrics;
using Webhooks.Sender.Diagnostics;

namespace Webhooks.Sender.Health;

/// <summary>Endpoint health instruments, on the <c>Webhooks.Sender</c> meter.</summary>
internal sealed class EndpointHealthMetrics
{
    public const string PausedName = "webhooks.sender.deliveries.paused";
    public const string CircuitsOpenedName = "webhooks.sender.circuits.opened";
    public const string DisabledName = "webhooks.sender.subscriptions.disabled";
    public const string ReasonTag = "webhooks.reason";

    private readonly Counter<long> _paused;
    private readonly Counter<long> _opened;
    private readonly Counter<long> _disabled;

    public EndpointHealthMetrics(WebhookSenderMetrics senderMetrics)
    {
        // On the sender's own meter, which WebhookSenderMetrics owns and disposes.
        var meter = senderMetrics.Meter;
        _paused = meter.CreateCounter<long>(PausedName, "{delivery}", "Deliveries handed back without an attempt because their endpoint's circuit is open or it is over its rate limit.");
        _opened = meter.CreateCounter<long>(CircuitsOpenedName, "{circuit}", "Endpoint circuits opened (attempts to the endpoint paused).");
        _disabled = meter.CreateCounter<long>(DisabledName, "{subscription}", "Subscriptions disabled by the sender, by reason.");
    }

    public void Paused(bool byCircuit) => _paused.Add(1, new KeyValuePair<string, object?>(ReasonTag, byCircuit ? "circuit_open" : "rate_limited"));

    public void CircuitOpened() => _opened.Add(1);

    public void Disabled(WebhookSubscriptionDisabledReason reason) =>
        _disabled.Add(1, new KeyValuePair<string, object?>(ReasonTag, reason == WebhookSubscriptionDisabledReason.EndpointGone ? "gone" : "failing"));
}
