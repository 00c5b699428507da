namespace Webhooks.Core;

/// <summary>A subscription's signing secret, with an optional expiry for rotation overlap.</summary>
/// <param name="Secret">The secret.</param>
/// <param name="CreatedAt">When the secret was added.</param>
/// <param name="ExpiresAt">When the secret stops signing, or <see langword="null"/> for never.</param>
public sealed record WebhookSubscriptionSecret(WebhookSecret Secret, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt = null)
{
    /// <summary>Returns whether the secret signs at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> when not expired.</returns>
    public bool IsActive(DateTimeOffset now) => ExpiresAt is null || now < ExpiresAt.Value;
}
