using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Webhooks.Core;

namespace Webhooks.Core.Schemes;

/// <summary>Shared parsing and HMAC-SHA256 helpers of the provider schemes: no exceptions, no heap allocation on the verify path.</summary>
internal static class SchemeHelpers
{
    /// <summary>The size of an HMAC-SHA256 value in bytes.</summary>
    public const int MacSize = HmacSha256.MacSize;

    /// <summary>The longest timestamp accepted: 18 digits always fits in a <see cref="long"/>.</summary>
    public const int MaxTimestampDigits = 18;

    /// <summary>The largest timestamp a <c>Sign</c> method accepts: 18 digits, the most a verifier parses.</summary>
    public const long MaxTimestamp = 999_999_999_999_999_999;

    // Keys up to this many UTF-8 bytes live on the stack; longer ones are rented (and cleared).
    private const int StackKeyLimit = 256;

    /// <summary>Parses a strict unix time in seconds: 1 to 18 ASCII digits, nothing else.</summary>
    public static bool TryParseUnixSeconds(ReadOnlySpan<char> text, out long seconds)
    {
        seconds = 0;
        if (text.IsEmpty || text.Length > MaxTimestampDigits)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                seconds = 0;
                return false;
            }

            seconds = (seconds * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>Validates a timestamp passed to a <c>Sign</c> method and formats it as ASCII digits.</summary>
    public static ReadOnlySpan<char> FormatTimestamp(long timestamp, Span<char> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timestamp, MaxTimestamp);
        timestamp.TryFormat(destination, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        return destination[..written];
    }

    /// <summary>Checks a unix timestamp against the tolerance in both directions; a null tolerance skips the check.</summary>
    public static WebhookVerificationStatus CheckTimestamp(long timestamp, DateTimeOffset now, TimeSpan? tolerance)
    {
        if (tolerance is not { } allowed)
        {
            return WebhookVerificationStatus.Valid;
        }

        var allowedSeconds = allowed.TotalSeconds;
        var age = now.ToUnixTimeSeconds() - timestamp;
        if (age > allowedSeconds)
        {
            return WebhookVerificationStatus.TimestampTooOld;
        }

        return -age > allowedSeconds ? WebhookVerificationStatus.TimestampTooNew : WebhookVerificationStatus.Valid;
    }

    /// <summary>Throws when a tolerance passed to a <c>Verify</c> method is negative (a programming error, not bad input).</summary>
    public static void ThrowIfNegative(TimeSpan? tolerance)
    {
        if (tolerance < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must not be negative; pass null to skip the timestamp check.");
        }
    }

    /// <summary>Decodes exactly <c>destination.Length</c> bytes of hex (either case).</summary>
    public static bool TryDecodeHex(ReadOnlySpan<char> hex, Span<byte> destination)
    {
        if (hex.Length != destination.Length * 2)
        {
            return false;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            var high = HexValue(hex[2 * i]);
            var low = HexValue(hex[(2 * i) + 1]);
            if ((high | low) < 0)
            {
                return false;
            }

            destination[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    /// <summary>Encodes bytes as lowercase hex.</summary>
    public static string ToLowerHex(ReadOnlySpan<byte> bytes)
    {
#if NET9_0_OR_GREATER
        return Convert.ToHexStringLower(bytes);
#else
        Span<char> chars = stackalloc char[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = LowerHexDigit(bytes[i] >> 4);
            chars[(2 * i) + 1] = LowerHexDigit(bytes[i] & 0xF);
        }

        return new string(chars);
#endif
    }

    /// <summary>Decodes standard base64 (with padding) that must hold exactly one HMAC-SHA256 value.</summary>
    public static bool TryDecodeBase64Mac(ReadOnlySpan<char> base64, Span<byte> mac)
    {
        // 44 characters encode 32 bytes; reject anything else before decoding.
        if (base64.Length != 44)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[MacSize + 3];
        return Convert.TryFromBase64Chars(base64, buffer, out var written) && written == MacSize && buffer[..MacSize].TryCopyTo(mac);
    }

    /// <summary>Returns whether a secret from a configured list can be used (not null, empty or whitespace).</summary>
    public static bool IsUsable(string? secret) => !string.IsNullOrWhiteSpace(secret);

    /// <summary>Throws when a secret passed to a <c>Sign</c> method cannot be used.</summary>
    public static void ThrowIfUnusable(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw new ArgumentException("The secret must not be empty or whitespace.", nameof(secret));
        }
    }

    /// <summary>
    /// Computes HMAC-SHA256 with the secret's UTF-8 bytes as key over <paramref name="prefix"/> then <paramref name="body"/>,
    /// without copying the body and without heap allocation (<see cref="HmacSha256"/>; keys longer than a block are
    /// hashed first, as RFC 2104 says).
    /// </summary>
    public static void ComputeMac(string secret, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body, Span<byte> mac)
    {
        var maxKeyBytes = Encoding.UTF8.GetMaxByteCount(secret.Length);
        byte[]? rented = null;
        Span<byte> keyBuffer = maxKeyBytes <= StackKeyLimit
            ? stackalloc byte[StackKeyLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(maxKeyBytes));
        var utf8Key = keyBuffer[..Encoding.UTF8.GetBytes(secret, keyBuffer)];
        Span<byte> hashedKey = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> paddedPrefix = stackalloc byte[HmacSha256.BlockSize + MaxTimestampPrefixLength];
        try
        {
            var key = utf8Key;
            if (key.Length > HmacSha256.BlockSize)
            {
                SHA256.HashData(key, hashedKey);
                key = hashedKey;
            }

            prefix.CopyTo(paddedPrefix[HmacSha256.BlockSize..]);
            HmacSha256.Compute(key, paddedPrefix[..(HmacSha256.BlockSize + prefix.Length)], body, mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8Key);
            CryptographicOperations.ZeroMemory(hashedKey);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Returns <see cref="WebhookVerificationStatus.Valid"/> when the MAC of any usable secret equals
    /// <paramref name="expected"/> (constant-time compare), otherwise <see cref="WebhookVerificationStatus.NoMatchingSignature"/>.
    /// </summary>
    public static WebhookVerificationResult MatchAnySecret(ReadOnlySpan<string> secrets, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body, ReadOnlySpan<byte> expected)
    {
        Span<byte> mac = stackalloc byte[MacSize];
        foreach (var secret in secrets)
        {
            if (!IsUsable(secret))
            {
                continue;
            }

            ComputeMac(secret, prefix, body, mac);
            if (CryptographicOperations.FixedTimeEquals(mac, expected))
            {
                return WebhookVerificationResult.Valid;
            }
        }

        return new(WebhookVerificationStatus.NoMatchingSignature);
    }

    /// <summary>A buffer size that holds any timestamp prefix: a short literal, up to 18 digits, a separator.</summary>
    public const int MaxTimestampPrefixLength = 32;

    /// <summary>
    /// Writes <c>{before}{digits}{after}</c>, the digits being an already validated header value (ASCII digits),
    /// so that the header's own characters are signed.
    /// </summary>
    public static int WriteTimestampPrefix(ReadOnlySpan<byte> before, ReadOnlySpan<char> digits, ReadOnlySpan<byte> after, Span<byte> destination)
    {
        before.CopyTo(destination);
        var length = before.Length;
        foreach (var c in digits)
        {
            destination[length++] = (byte)c;
        }

        after.CopyTo(destination[length..]);
        return length + after.Length;
    }

    /// <summary>Signs <c>{before}{timestamp}{after}{body}</c> for a <c>Sign</c> method (validates the secret and the timestamp).</summary>
    public static void ComputeTimestampedMac(string secret, long timestamp, ReadOnlySpan<byte> before, ReadOnlySpan<byte> after, ReadOnlySpan<byte> body, Span<byte> mac)
    {
        ThrowIfUnusable(secret);
        var digits = FormatTimestamp(timestamp, stackalloc char[MaxTimestampDigits]);
        Span<byte> prefix = stackalloc byte[MaxTimestampPrefixLength];
        ComputeMac(secret, prefix[..WriteTimestampPrefix(before, digits, after, prefix)], body, mac);
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

#if !NET9_0_OR_GREATER
    private static char LowerHexDigit(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);
#endif
}
