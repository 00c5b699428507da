namespace Webhooks.Sender.Storage;

/// <summary>The outcome of a claimed delivery: the attempt to log and the delivery's next state.</summary>
public sealed record WebhookDeliveryCompletion
{
    /// <summary>Gets the delivery id.</summary>
    public required string DeliveryId { get; init; }

    /// <summary>Gets the lease id the delivery was claimed with.</summary>
    public required string LeaseId { get; init; }

    /// <summary>Gets the attempt to log, or <see langword="null"/> when no request was made (for example the subscription was deleted).</summary>
    public WebhookAttempt? Attempt { get; init; }

    /// <summary>Gets the next state: <see cref="WebhookDeliveryStatus.Pending"/> (retry at <see cref="NextAttemptAt"/>), <see cref="WebhookDeliveryStatus.Succeeded"/> or <see cref="WebhookDeliveryStatus.Failed"/>.</summary>
    public required WebhookDeliveryStatus Status { get; init; }

    /// <summary>Gets when to retry, for <see cref="WebhookDeliveryStatus.Pending"/>.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Gets why the delivery failed, for <see cref="WebhookDeliveryStatus.Failed"/>.</summary>
    public string? FailureReason { get; init; }
}
