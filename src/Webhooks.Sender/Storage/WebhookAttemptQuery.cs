namespace Webhooks.Sender;

/// <summary>Filters for listing attempts.</summary>
public sealed record WebhookAttemptQuery : WebhookQuery
{
    /// <summary>Gets a delivery to restrict to.</summary>
    public string? DeliveryId { get; init; }

    /// <summary>Gets a message to restrict to.</summary>
    public string? MessageId { get; init; }

    /// <summary>Gets a subscription to restrict to.</summary>
    public string? SubscriptionId { get; init; }
}
