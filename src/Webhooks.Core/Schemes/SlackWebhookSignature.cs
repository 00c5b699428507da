using Webhooks.Core;

namespace Webhooks.Core.Schemes;

/// <summary>
/// Slack's request signature: <c>X-Slack-Signature: v0=&lt;hex&gt;</c>, the HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>
/// keyed with the signing secret's UTF-8 bytes, with <c>X-Slack-Request-Timestamp</c> checked in both directions.
/// </summary>
public static class SlackWebhookSignature
{
    /// <summary>The signature header: <c>X-Slack-Signature</c>.</summary>
    public const string SignatureHeader = "X-Slack-Signature";

    /// <summary>The timestamp header: <c>X-Slack-Request-Timestamp</c> (unix seconds).</summary>
    public const string TimestampHeader = "X-Slack-Request-Timestamp";

    /// <summary>The timestamp tolerance Slack recommends: 5 minutes, in both directions.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const string SignaturePrefix = "v0=";

    /// <summary>Signs a request body the way Slack does.</summary>
    /// <param name="secret">The signing secret (its UTF-8 bytes are the key).</param>
    /// <param name="timestamp">The unix time in seconds sent in <see cref="TimestampHeader"/>.</param>
    /// <param name="body">The raw body.</param>
    /// <returns>The header value <c>v0=&lt;lowercase hex&gt;</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is empty or whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestamp"/> is negative or has more than 18 digits.</exception>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[SchemeHelpers.MacSize];
        SchemeHelpers.ComputeTimestampedMac(secret, timestamp, "v0:"u8, ":"u8, body, mac);
        return SignaturePrefix + SchemeHelpers.ToLowerHex(mac);
    }

    /// <summary>Verifies a Slack signature against any of the secrets, in constant time. Never throws on bad input.</summary>
    /// <param name="body">The raw body, exactly as received.</param>
    /// <param name="timestamp">The <see cref="TimestampHeader"/> value.</param>
    /// <param name="signatureHeader">The <see cref="SignatureHeader"/> value.</param>
    /// <param name="secrets">The accepted signing secrets; null, empty and whitespace entries are skipped.</param>
    /// <param name="now">The current time (from a <see cref="TimeProvider"/>).</param>
    /// <param name="tolerance">How far the timestamp may be from <paramref name="now"/> in either direction (normally <see cref="DefaultTolerance"/>), or <see langword="null"/> to skip the timestamp check (only for replaying stored requests).</param>
    /// <returns>
    /// <see cref="WebhookVerificationStatus.Valid"/>; <see cref="WebhookVerificationStatus.MissingHeader"/> when a header is absent
    /// or blank; <see cref="WebhookVerificationStatus.MalformedTimestamp"/> when the timestamp is not 1 to 18 ASCII digits;
    /// <see cref="WebhookVerificationStatus.TimestampTooOld"/> or <see cref="WebhookVerificationStatus.TimestampTooNew"/>;
    /// <see cref="WebhookVerificationStatus.MalformedHeader"/> when the signature is not <c>v0=</c> and 64 hex digits;
    /// otherwise <see cref="WebhookVerificationStatus.NoMatchingSignature"/> (also when no secret is usable).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative.</exception>
    public static WebhookVerificationResult Verify(ReadOnlySpan<byte> body, string? timestamp, string? signatureHeader, ReadOnlySpan<string> secrets, DateTimeOffset now, TimeSpan? tolerance)
    {
        SchemeHelpers.ThrowIfNegative(tolerance);
        if (string.IsNullOrWhiteSpace(timestamp) || string.IsNullOrWhiteSpace(signatureHeader))
        {
            return new(WebhookVerificationStatus.MissingHeader);
        }

        var timestampText = timestamp.AsSpan().Trim();
        if (!SchemeHelpers.TryParseUnixSeconds(timestampText, out var seconds))
        {
            return new(WebhookVerificationStatus.MalformedTimestamp);
        }

        var freshness = SchemeHelpers.CheckTimestamp(seconds, now, tolerance);
        if (freshness != WebhookVerificationStatus.Valid)
        {
            return new(freshness);
        }

        var signature = signatureHeader.AsSpan().Trim();
        Span<byte> expected = stackalloc byte[SchemeHelpers.MacSize];
        if (!signature.StartsWith(SignaturePrefix, StringComparison.Ordinal)
            || !SchemeHelpers.TryDecodeHex(signature[SignaturePrefix.Length..], expected))
        {
            return new(WebhookVerificationStatus.MalformedHeader);
        }

        Span<byte> prefix = stackalloc byte[SchemeHelpers.MaxTimestampPrefixLength];
        return SchemeHelpers.MatchAnySecret(secrets, prefix[..SchemeHelpers.WriteTimestampPrefix("v0:"u8, timestampText, ":"u8, prefix)], body, expected);
    }
}
