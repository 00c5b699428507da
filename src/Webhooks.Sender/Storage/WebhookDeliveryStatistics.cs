namespace Webhooks.Sender;

/// <summary>What <see cref="Storage.IWebhookStoreStatistics.GetStatisticsAsync"/> found.</summary>
public sealed record WebhookDeliveryStatistics
{
    /// <summary>Gets the number of deliveries waiting for an attempt now (<see cref="WebhookDeliveryStatus.Pending"/>), whatever their age.</summary>
    public long Pending { get; init; }

    /// <summary>Gets the number of deliveries claimed by a dispatcher now (<see cref="WebhookDeliveryStatus.InFlight"/>).</summary>
    public long InFlight { get; init; }

    /// <summary>Gets the id of the unfinished delivery due first (a pending due time or an in-flight lease expiry), or <see langword="null"/> when none is unfinished.</summary>
    public string? OldestDueDeliveryId { get; init; }

    /// <summary>Gets when <see cref="OldestDueDeliveryId"/> is (or was) due.</summary>
    public DateTimeOffset? OldestDueAt { get; init; }

    /// <summary>Gets the deliveries created in each bucket of the window, by their current state, oldest bucket first (one per bucket, empty ones included).</summary>
    public IReadOnlyList<WebhookStatisticsBucket> Buckets { get; init; } = [];

    /// <summary>Gets the attempts made in the window per endpoint, the busiest first (then by subscription id).</summary>
    public IReadOnlyList<WebhookEndpointStatistics> Endpoints { get; init; } = [];
}
