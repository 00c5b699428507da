namespace Webhooks.Core;

/// <summary>The result of a signature verification: never an exception for bad input.</summary>
/// <param name="Status">Why the verification succeeded or failed.</param>
public readonly record struct WebhookVerificationResult(WebhookVerificationStatus Status)
{
    /// <summary>Gets a value indicating whether the webhook is genuine and fresh.</summary>
    public bool IsValid => Status == WebhookVerificationStatus.Valid;

    /// <summary>A successful result.</summary>
    public static WebhookVerificationResult Valid => new(WebhookVerificationStatus.Valid);
}
