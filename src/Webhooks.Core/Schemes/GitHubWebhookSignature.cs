using Webhooks.Core;

namespace Webhooks.Core.Schemes;

/// <summary>
/// GitHub's webhook signature: <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>, the HMAC-SHA256 of the raw body keyed
/// with the secret's UTF-8 bytes. GitHub sends no timestamp: deduplicate on <see cref="DeliveryHeader"/> instead.
/// </summary>
public static class GitHubWebhookSignature
{
    /// <summary>The signature header: <c>X-Hub-Signature-256</c>.</summary>
    public const string SignatureHeader = "X-Hub-Signature-256";

    /// <summary>The event name header: <c>X-GitHub-Event</c>.</summary>
    public const string EventHeader = "X-GitHub-Event";

    /// <summary>The delivery id header: <c>X-GitHub-Delivery</c> (unique per delivery, the idempotency key).</summary>
    public const string DeliveryHeader = "X-GitHub-Delivery";

    private const string Prefix = "sha256=";

    /// <summary>Signs a body the way GitHub does.</summary>
    /// <param name="secret">The webhook secret (its UTF-8 bytes are the key).</param>
    /// <param name="body">The raw body.</param>
    /// <returns>The header value <c>sha256=&lt;lowercase hex&gt;</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is empty or whitespace.</exception>
    public static string Sign(string secret, ReadOnlySpan<byte> body)
    {
        SchemeHelpers.ThrowIfUnusable(secret);
        Span<byte> mac = stackalloc byte[SchemeHelpers.MacSize];
        SchemeHelpers.ComputeMac(secret, default, body, mac);
        return Prefix + SchemeHelpers.ToLowerHex(mac);
    }

    /// <summary>Verifies a GitHub signature against any of the secrets, in constant time. Never throws on bad input.</summary>
    /// <param name="body">The raw body, exactly as received.</param>
    /// <param name="signatureHeader">The <see cref="SignatureHeader"/> value.</param>
    /// <param name="secrets">The accepted secrets (several during rotation); null, empty and whitespace entries are skipped.</param>
    /// <returns>
    /// <see cref="WebhookVerificationStatus.Valid"/>; <see cref="WebhookVerificationStatus.MissingHeader"/> when the header is absent
    /// or blank; <see cref="WebhookVerificationStatus.MalformedHeader"/> when it is not <c>sha256=</c> and 64 hex digits (either case);
    /// otherwise <see cref="WebhookVerificationStatus.NoMatchingSignature"/> (also when no secret is usable).
    /// </returns>
    public static WebhookVerificationResult Verify(ReadOnlySpan<byte> body, string? signatureHeader, ReadOnlySpan<string> secrets)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return new(WebhookVerificationStatus.MissingHeader);
        }

        var value = signatureHeader.AsSpan().Trim();
        Span<byte> expected = stackalloc byte[SchemeHelpers.MacSize];
        if (!value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            || !SchemeHelpers.TryDecodeHex(value[Prefix.Length..], expected))
        {
            return new(WebhookVerificationStatus.MalformedHeader);
        }

        return SchemeHelpers.MatchAnySecret(secrets, default, body, expected);
    }
}
