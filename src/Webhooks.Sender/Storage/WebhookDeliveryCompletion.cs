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

    /// <summary>
    /// Checks the argument of <see cref="IWebhookStore.CompleteAsync"/> or of each item of
    /// <see cref="IWebhookStore.CompleteManyAsync"/>, as every store must before it writes anything.
    /// </summary>
    /// <param name="completion">The completion.</param>
    /// <param name="parameterName">The name of the store method's parameter, for the exception.</param>
    /// <exception cref="ArgumentNullException"><paramref name="completion"/> is null.</exception>
    /// <exception cref="ArgumentException">The completion would leave its delivery in flight.</exception>
    public static void ThrowIfInvalid(WebhookDeliveryCompletion? completion, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(completion, parameterName);
        if (completion.Status == WebhookDeliveryStatus.InFlight)
        {
            throw new ArgumentException("A completion cannot leave the delivery in flight.", parameterName);
        }
    }
}
