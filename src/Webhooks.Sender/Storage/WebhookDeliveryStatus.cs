namespace Webhooks.Sender;

/// <summary>The state of a delivery (one message to one subscription).</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its next attempt at <see cref="WebhookDelivery.NextAttemptAt"/>.</summary>
    Pending = 0,

    /// <summary>Claimed by a dispatcher under a lease; an attempt is running.</summary>
    InFlight = 1,

    /// <summary>An attempt got a 2xx answer. Final.</summary>
    Succeeded = 2,

    /// <summary>Retries exhausted, the endpoint is gone or disabled, or the payload was rejected; see <see cref="WebhookDelivery.FailureReason"/>. Final until redelivered.</summary>
    Failed = 3,
}
