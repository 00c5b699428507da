namespace Webhooks.Sender;

/// <summary>One message on its way to one subscription: its state, schedule and lease.</summary>
public sealed record WebhookDelivery
{
    /// <summary>Gets the delivery id (<c>dlv_...</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the message id.</summary>
    public required string MessageId { get; init; }

    /// <summary>Gets the subscription id.</summary>
    public required string SubscriptionId { get; init; }

    /// <summary>Gets the tenant (the message's and the subscription's), or <see langword="null"/> for none.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the message's event type.</summary>
    public required string EventType { get; init; }

    /// <summary>Gets the state.</summary>
    public WebhookDeliveryStatus Status { get; init; }

    /// <summary>Gets the number of attempts made since the delivery was created or last redelivered.</summary>
    public int AttemptCount { get; init; }

    /// <summary>Gets when the delivery is due; meaningful while <see cref="WebhookDeliveryStatus.Pending"/>.</summary>
    public DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>Gets when the last attempt started, or <see langword="null"/> before the first.</summary>
    public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>Gets the status code of the last attempt, when the endpoint answered.</summary>
    public int? LastStatusCode { get; init; }

    /// <summary>Gets why the delivery failed, once <see cref="WebhookDeliveryStatus.Failed"/>.</summary>
    public string? FailureReason { get; init; }

    /// <summary>Gets the current or last lease id: a fresh value for every claim; completions must present it.</summary>
    public string? LeaseId { get; init; }

    /// <summary>Gets the dispatcher instance holding the current or last lease.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>Gets when the current lease runs out; after that another dispatcher may claim the delivery.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Gets when the delivery was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the delivery reached <see cref="WebhookDeliveryStatus.Succeeded"/> or <see cref="WebhookDeliveryStatus.Failed"/>.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
}
