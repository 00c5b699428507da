namespace Webhooks.Sender;

/// <summary>Filters for listing deliveries.</summary>
public sealed record WebhookDeliveryQuery : WebhookQuery
{
    /// <summary>Gets a subscription to restrict to.</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>Gets a message to restrict to.</summary>
    public string? MessageId { get; init; }

    /// <summary>Gets a state to restrict to.</summary>
    public WebhookDeliveryStatus? Status { get; init; }

    /// <summary>Gets the earliest creation time (inclusive).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets the latest creation time (exclusive).</summary>
    public DateTimeOffset? Until { get; init; }
}
