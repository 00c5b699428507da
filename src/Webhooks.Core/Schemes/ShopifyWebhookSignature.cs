using Webhooks.Core;

namespace Webhooks.Core.Schemes;

/// <summary>
/// Shopify's webhook signature: <c>X-Shopify-Hmac-SHA256: &lt;base64&gt;</c>, the HMAC-SHA256 of the raw body keyed with
/// the app's client secret (UTF-8). Shopify sends no timestamp: deduplicate on <see cref="WebhookIdHeader"/> instead.
/// </summary>
public static class ShopifyWebhookSignature
{
    /// <summary>The signature header: <c>X-Shopify-Hmac-SHA256</c>.</summary>
    public const string HmacHeader = "X-Shopify-Hmac-SHA256";

    /// <summary>The topic (event type) header: <c>X-Shopify-Topic</c>, for example <c>orders/create</c>.</summary>
    public const string TopicHeader = "X-Shopify-Topic";

    /// <summary>The webhook id header: <c>X-Shopify-Webhook-Id</c> (the idempotency key).</summary>
    public const string WebhookIdHeader = "X-Shopify-Webhook-Id";

    /// <summary>Signs a body the way Shopify does.</summary>
    /// <param name="secret">The app's client secret (its UTF-8 bytes are the key).</param>
    /// <param name="body">The raw body.</param>
    /// <returns>The header value: standard base64 (with padding) of the MAC.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is empty or whitespace.</exception>
    public static string Sign(string secret, ReadOnlySpan<byte> body)
    {
        SchemeHelpers.ThrowIfUnusable(secret);
        Span<byte> mac = stackalloc byte[SchemeHelpers.MacSize];
        SchemeHelpers.ComputeMac(secret, default, body, mac);
        return Convert.ToBase64String(mac);
    }

    /// <summary>Verifies a Shopify signature against any of the secrets, in constant time. Never throws on bad input.</summary>
    /// <param name="body">The raw body, exactly as received.</param>
    /// <param name="hmacHeader">The <see cref="HmacHeader"/> value.</param>
    /// <param name="secrets">The accepted secrets (several during rotation); null, empty and whitespace entries are skipped.</param>
    /// <returns>
    /// <see cref="WebhookVerificationStatus.Valid"/>; <see cref="WebhookVerificationStatus.MissingHeader"/> when the header is absent
    /// or blank; <see cref="WebhookVerificationStatus.MalformedHeader"/> when it is not the base64 of 32 bytes;
    /// otherwise <see cref="WebhookVerificationStatus.NoMatchingSignature"/> (also when no secret is usable).
    /// </returns>
    public static WebhookVerificationResult Verify(ReadOnlySpan<byte> body, string? hmacHeader, ReadOnlySpan<string> secrets)
    {
        if (string.IsNullOrWhiteSpace(hmacHeader))
        {
            return new(WebhookVerificationStatus.MissingHeader);
        }

        Span<byte> expected = stackalloc byte[SchemeHelpers.MacSize];
        if (!SchemeHelpers.TryDecodeBase64Mac(hmacHeader.AsSpan().Trim(), expected))
        {
            return new(WebhookVerificationStatus.MalformedHeader);
        }

        return SchemeHelpers.MatchAnySecret(secrets, default, body, expected);
    }
}
