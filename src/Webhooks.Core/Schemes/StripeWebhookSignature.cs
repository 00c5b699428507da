using System.Globalization;
using Webhooks.Core;

namespace Webhooks.Core.Schemes;

/// <summary>
/// Stripe's webhook signature: <c>Stripe-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;[,v1=&lt;hex&gt;...]</c>, the HMAC-SHA256 of
/// <c>{t}.{body}</c> keyed with the UTF-8 bytes of the whole endpoint secret (<c>whsec_...</c>, not base64-decoded).
/// Any <c>v1</c> value may match (Stripe sends several while a secret is rolled); <c>v0</c> and unknown schemes are ignored.
/// </summary>
public static class StripeWebhookSignature
{
    /// <summary>The signature header: <c>Stripe-Signature</c>.</summary>
    public const string SignatureHeader = "Stripe-Signature";

    /// <summary>The timestamp tolerance Stripe's libraries use: 300 seconds.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(300);

    /// <summary>Signs a body the way Stripe does.</summary>
    /// <param name="secret">The endpoint secret, <c>whsec_...</c> (the UTF-8 bytes of the whole string are the key).</param>
    /// <param name="timestamp">The unix time in seconds.</param>
    /// <param name="body">The raw body.</param>
    /// <returns>The header value <c>t=&lt;timestamp&gt;,v1=&lt;lowercase hex&gt;</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is empty or whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestamp"/> is negative or has more than 18 digits.</exception>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[SchemeHelpers.MacSize];
        SchemeHelpers.ComputeTimestampedMac(secret, timestamp, default, "."u8, body, mac);
        return string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={SchemeHelpers.ToLowerHex(mac)}");
    }

    /// <summary>Verifies a Stripe signature against any of the secrets, in constant time. Never throws on bad input.</summary>
    /// <param name="body">The raw body, exactly as received.</param>
    /// <param name="signatureHeader">The <see cref="SignatureHeader"/> value.</param>
    /// <param name="secrets">The accepted endpoint secrets; null, empty and whitespace entries are skipped.</param>
    /// <param name="now">The current time (from a <see cref="TimeProvider"/>).</param>
    /// <param name="tolerance">How far <c>t</c> may be from <paramref name="now"/> in either direction (normally <see cref="DefaultTolerance"/>), or <see langword="null"/> to skip the timestamp check (only for replaying stored requests).</param>
    /// <returns>
    /// <see cref="WebhookVerificationStatus.Valid"/>; <see cref="WebhookVerificationStatus.MissingHeader"/> when the header is absent
    /// or blank; <see cref="WebhookVerificationStatus.MalformedHeader"/> when it has no <c>t</c>, more than one <c>t</c>, or no
    /// well-formed <c>v1</c> value (64 hex digits; malformed ones are skipped); <see cref="WebhookVerificationStatus.MalformedTimestamp"/>
    /// when <c>t</c> is not 1 to 18 ASCII digits; <see cref="WebhookVerificationStatus.TimestampTooOld"/> or
    /// <see cref="WebhookVerificationStatus.TimestampTooNew"/>; otherwise <see cref="WebhookVerificationStatus.NoMatchingSignature"/>
    /// (also when no secret is usable).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative.</exception>
    public static WebhookVerificationResult Verify(ReadOnlySpan<byte> body, string? signatureHeader, ReadOnlySpan<string> secrets, DateTimeOffset now, TimeSpan? tolerance)
    {
        SchemeHelpers.ThrowIfNegative(tolerance);
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return new(WebhookVerificationStatus.MissingHeader);
        }

        var header = signatureHeader.AsSpan();
        if (!TryFindTimestamp(header, out var timestampText, out var signatureCount))
        {
            return new(WebhookVerificationStatus.MalformedHeader);
        }

        if (!SchemeHelpers.TryParseUnixSeconds(timestampText, out var seconds))
        {
            return new(WebhookVerificationStatus.MalformedTimestamp);
        }

        if (signatureCount == 0)
        {
            return new(WebhookVerificationStatus.MalformedHeader);
        }

        var freshness = SchemeHelpers.CheckTimestamp(seconds, now, tolerance);
        if (freshness != WebhookVerificationStatus.Valid)
        {
            return new(freshness);
        }

        Span<byte> prefix = stackalloc byte[SchemeHelpers.MaxTimestampPrefixLength];
        prefix = prefix[..SchemeHelpers.WriteTimestampPrefix(default, timestampText, "."u8, prefix)];
        Span<byte> mac = stackalloc byte[SchemeHelpers.MacSize];
        Span<byte> candidate = stackalloc byte[SchemeHelpers.MacSize];
        foreach (var secret in secrets)
        {
            if (!SchemeHelpers.IsUsable(secret))
            {
                continue;
            }

            SchemeHelpers.ComputeMac(secret, prefix, body, mac);

            // Walk the header again for every secret rather than collect the v1 values: no allocation.
            foreach (var item in new ItemEnumerator(header))
            {
                if (IsSignature(item, out var hex)
                    && SchemeHelpers.TryDecodeHex(hex, candidate)
                    && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(mac, candidate))
                {
                    return WebhookVerificationResult.Valid;
                }
            }
        }

        return new(WebhookVerificationStatus.NoMatchingSignature);
    }

    // Finds the single "t=" item and counts the well-formed "v1=" items.
    private static bool TryFindTimestamp(ReadOnlySpan<char> header, out ReadOnlySpan<char> timestamp, out int signatureCount)
    {
        timestamp = default;
        signatureCount = 0;
        var timestampCount = 0;
        Span<byte> scratch = stackalloc byte[SchemeHelpers.MacSize];
        foreach (var item in new ItemEnumerator(header))
        {
            if (item.StartsWith("t=", StringComparison.Ordinal))
            {
                timestamp = item[2..];
                timestampCount++;
            }
            else if (IsSignature(item, out var hex) && SchemeHelpers.TryDecodeHex(hex, scratch))
            {
                signatureCount++;
            }
        }

        return timestampCount == 1;
    }

    private static bool IsSignature(ReadOnlySpan<char> item, out ReadOnlySpan<char> hex)
    {
        hex = item.StartsWith("v1=", StringComparison.Ordinal) ? item[3..] : default;
        return !hex.IsEmpty;
    }

    // Enumerates the comma-separated items of the header, trimmed, without allocating.
    private ref struct ItemEnumerator
    {
        private ReadOnlySpan<char> _remaining;
        private bool _done;

        public ItemEnumerator(ReadOnlySpan<char> header)
        {
            _remaining = header;
            _done = false;
            Current = default;
        }

        public ReadOnlySpan<char> Current { get; private set; }

        public readonly ItemEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_done)
            {
                return false;
            }

            var comma = _remaining.IndexOf(',');
            if (comma < 0)
            {
                Current = _remaining.Trim();
                _done = true;
            }
            else
            {
                Current = _remaining[..comma].Trim();
                _remaining = _remaining[(comma + 1)..];
            }

            return true;
        }
    }
}
