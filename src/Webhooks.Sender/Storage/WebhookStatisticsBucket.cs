namespace Webhooks.Sender;

/// <summary>The deliveries created in one interval, by their current state.</summary>
/// <param name="Start">The start of the interval (inclusive).</param>
/// <param name="Succeeded">Deliveries now <see cref="WebhookDeliveryStatus.Succeeded"/>.</param>
/// <param name="Failed">Deliveries now <see cref="WebhookDeliveryStatus.Failed"/>.</param>
/// <param name="Unfinished">Deliveries now <see cref="WebhookDeliveryStatus.Pending"/> or <see cref="WebhookDeliveryStatus.InFlight"/>.</param>
public sealed record WebhookStatisticsBucket(DateTimeOffset Start, long Succeeded, long Failed, long Unfinished)
{
    /// <summary>Gets every delivery created in the interval.</summary>
    public long Total => Succeeded + Failed + Unfinished;
}
