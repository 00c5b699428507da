using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Core;

/// <summary>
/// Standard Webhooks <c>v1</c> (HMAC-SHA256) signing and verification over the raw body bytes.
/// Signed content is <c>{id}.{timestamp}.{body}</c>; the token is <c>v1,</c> + base64 of the MAC.
/// </summary>
/// <remarks>
/// Verification allocates nothing and never copies the body. The id and timestamp are signed as the
/// characters received (UTF-8), the body as the bytes received.
/// </remarks>
public static class StandardWebhook
{
    /// <summary>The default timestamp tolerance in both directions: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The longest accepted message id, in characters: 256. Longer ids are rejected as <see cref="WebhookVerificationStatus.MalformedHeader"/>.</summary>
    public const int MaxMessageIdLength = 256;

    /// <summary>The longest accepted signature header, in characters: 8192 (about 170 tokens). Longer headers are rejected as <see cref="WebhookVerificationStatus.MalformedHeader"/>.</summary>
    public const int MaxSignatureHeaderLength = 8192;

    private const string Version1 = "v1";

    // "v1," + base64 of 32 bytes with padding.
    private const int TokenLength = 3 + Base64MacLength;
    private const int Base64MacLength = 44;

    // Digits of long.MaxValue (19) plus one leading zero.
    private const int MaxTimestampLength = 20;

    // Pad block, then "{id}.{timestamp}." with the id at up to 3 UTF-8 bytes per character.
    private const int MaxPaddedPrefixLength = HmacSha256.BlockSize + (MaxMessageIdLength * 3) + 1 + MaxTimestampLength + 1;

    /// <summary>Signs a message and returns its <c>v1,&lt;base64&gt;</c> token.</summary>
    /// <param name="secret">The signing secret.</param>
    /// <param name="messageId">The message id (the <c>webhook-id</c> header value).</param>
    /// <param name="timestamp">The attempt's unix time in seconds (the <c>webhook-timestamp</c> header value).</param>
    /// <param name="body">The exact body bytes that will be sent.</param>
    /// <returns>The signature token.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> or <paramref name="messageId"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="messageId"/> is empty or longer than <see cref="MaxMessageIdLength"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestamp"/> is negative.</exception>
    public static string Sign(WebhookSecret secret, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ValidateSignArguments(messageId, timestamp);

        Span<byte> paddedPrefix = stackalloc byte[MaxPaddedPrefixLength];
        paddedPrefix = WriteSignedPrefix(paddedPrefix, messageId, timestamp);
        Span<char> token = stackalloc char[TokenLength];
        WriteToken(secret, paddedPrefix, body, token);
        return new string(token);
    }

    /// <summary>Signs a message with every secret and returns the space-separated <c>webhook-signature</c> header value.</summary>
    /// <param name="secrets">The active secrets (during rotation, the new and the old).</param>
    /// <param name="messageId">The message id.</param>
    /// <param name="timestamp">The attempt's unix time in seconds.</param>
    /// <param name="body">The exact body bytes that will be sent.</param>
    /// <returns>The header value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secrets"/>, one of its items, or <paramref name="messageId"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="secrets"/> is empty, or <paramref name="messageId"/> is empty or too long.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestamp"/> is negative.</exception>
    public static string Sign(IReadOnlyList<WebhookSecret> secrets, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0)
        {
            throw new ArgumentException("At least one secret is required to sign a webhook.", nameof(secrets));
        }

        for (var i = 0; i < secrets.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(secrets[i], nameof(secrets));
        }

        ValidateSignArguments(messageId, timestamp);

        Span<byte> paddedPrefix = stackalloc byte[MaxPaddedPrefixLength];
        paddedPrefix = WriteSignedPrefix(paddedPrefix, messageId, timestamp);

        var length = (secrets.Count * (TokenLength + 1)) - 1;
        char[]? rented = null;
        var header = length <= 512 ? stackalloc char[length] : (rented = ArrayPool<char>.Shared.Rent(length)).AsSpan(0, length);
        for (var i = 0; i < secrets.Count; i++)
        {
            var offset = i * (TokenLength + 1);
            WriteToken(secrets[i], paddedPrefix, body, header.Slice(offset, TokenLength));
            if (i > 0)
            {
                header[offset - 1] = ' ';
            }
        }

        var result = new string(header);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return result;
    }

    /// <summary>
    /// Verifies a message. Never throws for bad input: every problem is a <see cref="WebhookVerificationStatus"/>.
    /// </summary>
    /// <param name="body">The raw body bytes, exactly as received.</param>
    /// <param name="messageId">The <c>webhook-id</c> (or <c>svix-id</c>) header value.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header value.</param>
    /// <param name="signature">The <c>webhook-signature</c> header value (one or more space-separated tokens).</param>
    /// <param name="secrets">The secrets to accept (several during rotation).</param>
    /// <param name="now">The current time.</param>
    /// <param name="tolerance">The allowed clock difference in both directions, or <see langword="null"/> to skip the timestamp check (for replays).</param>
    /// <returns>The result.</returns>
    /// <remarks>
    /// <para>The checks run in this order, and the first failure is the result:
    /// a null or empty header is <see cref="WebhookVerificationStatus.MissingHeader"/>; an id longer than
    /// <see cref="MaxMessageIdLength"/> is <see cref="WebhookVerificationStatus.MalformedHeader"/>; a timestamp that is not
    /// 1 to 20 ASCII digits fitting a <see cref="long"/> is <see cref="WebhookVerificationStatus.MalformedTimestamp"/>;
    /// a timestamp outside the tolerance is <see cref="WebhookVerificationStatus.TimestampTooOld"/> or
    /// <see cref="WebhookVerificationStatus.TimestampTooNew"/>.</para>
    /// <para>The signature header is a list of tokens separated by spaces. A token of the form
    /// <c>version,signature</c> (both parts non-empty) is well formed; anything else is skipped. Tokens of other versions
    /// (<c>v2</c>, <c>v1a</c>) are skipped, and so are <c>v1</c> tokens that are not the base64 of 32 bytes.
    /// A header longer than <see cref="MaxSignatureHeaderLength"/>, or with no well-formed token at all (for example
    /// <c>v1,</c> alone), is <see cref="WebhookVerificationStatus.MalformedHeader"/>; a header with well-formed tokens none
    /// of which matches any secret is <see cref="WebhookVerificationStatus.NoMatchingSignature"/>. The MAC is computed
    /// only when at least one <c>v1</c> token could match, and compared in constant time.</para>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="secrets"/> is empty or holds a null item (a programming error, not bad input).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative.</exception>
    public static WebhookVerificationResult Verify(
        ReadOnlySpan<byte> body,
        string? messageId,
        string? timestamp,
        string? signature,
        ReadOnlySpan<WebhookSecret> secrets,
        DateTimeOffset now,
        TimeSpan? tolerance)
    {
        ValidateVerifyArguments(secrets, tolerance);

        if (string.IsNullOrEmpty(messageId) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return new(WebhookVerificationStatus.MissingHeader);
        }

        if (messageId.Length > MaxMessageIdLength)
        {
            return new(WebhookVerificationStatus.MalformedHeader);
        }

        if (!TryParseTimestamp(timestamp, out var unixSeconds))
        {
            return new(WebhookVerificationStatus.MalformedTimestamp);
        }

        if (tolerance is { } allowed)
        {
            var freshness = CheckFreshness(unixSeconds, now, allowed);
            if (freshness != WebhookVerificationStatus.Valid)
            {
                return new(freshness);
            }
        }

        if (signature.Length > MaxSignatureHeaderLength)
        {
            return new(WebhookVerificationStatus.MalformedHeader);
        }

        var candidates = ScanTokens(signature);
        if (candidates != WebhookVerificationStatus.Valid)
        {
            return new(candidates);
        }

        Span<byte> paddedPrefix = stackalloc byte[MaxPaddedPrefixLength];
        paddedPrefix = WriteSignedPrefix(paddedPrefix, messageId, timestamp);
        Span<byte> mac = stackalloc byte[HmacSha256.MacSize];
        foreach (var secret in secrets)
        {
            HmacSha256.Compute(secret.Key, paddedPrefix, body, mac);
            if (AnyTokenMatches(signature, mac))
            {
                return WebhookVerificationResult.Valid;
            }
        }

        return new(WebhookVerificationStatus.NoMatchingSignature);
    }

    internal static void ValidateVerifyArguments(ReadOnlySpan<WebhookSecret> secrets, TimeSpan? tolerance)
    {
        if (secrets.IsEmpty)
        {
            throw new ArgumentException("At least one secret is required to verify a webhook.", nameof(secrets));
        }

        foreach (var secret in secrets)
        {
            if (secret is null)
            {
                throw new ArgumentException("The secrets must not contain null.", nameof(secrets));
            }
        }

        if (tolerance is { } value)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(tolerance));
        }
    }

    private static void ValidateSignArguments(string messageId, long timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        if (messageId.Length > MaxMessageIdLength)
        {
            throw new ArgumentException($"The message id is {messageId.Length} characters long; at most {MaxMessageIdLength} are accepted by verifiers.", nameof(messageId));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
    }

    private static void WriteToken(WebhookSecret secret, Span<byte> paddedPrefix, ReadOnlySpan<byte> body, Span<char> token)
    {
        Span<byte> mac = stackalloc byte[HmacSha256.MacSize];
        HmacSha256.Compute(secret.Key, paddedPrefix, body, mac);
        Version1.CopyTo(token);
        token[2] = ',';
        Convert.TryToBase64Chars(mac, token[3..], out _);
    }

    /// <summary>Writes the pad space and <c>{id}.{timestamp}.</c> and returns the used part of the buffer.</summary>
    private static Span<byte> WriteSignedPrefix(Span<byte> buffer, string messageId, long timestamp)
    {
        var position = HmacSha256.BlockSize;
        position += Encoding.UTF8.GetBytes(messageId, buffer[position..]);
        buffer[position++] = (byte)'.';
        Utf8Formatter.TryFormat(timestamp, buffer[position..], out var written);
        position += written;
        buffer[position++] = (byte)'.';
        return buffer[..position];
    }

    private static Span<byte> WriteSignedPrefix(Span<byte> buffer, string messageId, string timestamp)
    {
        var position = HmacSha256.BlockSize;
        position += Encoding.UTF8.GetBytes(messageId, buffer[position..]);
        buffer[position++] = (byte)'.';

        // Already checked to be ASCII digits: sign the header's own characters (leading zeros included).
        foreach (var c in timestamp)
        {
            buffer[position++] = (byte)c;
        }

        buffer[position++] = (byte)'.';
        return buffer[..position];
    }

    private static bool TryParseTimestamp(string value, out long unixSeconds)
    {
        unixSeconds = 0;
        if (value.Length > MaxTimestampLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            var digit = (uint)(c - '0');
            if (digit > 9 || unixSeconds > (long.MaxValue - digit) / 10)
            {
                return false;
            }

            unixSeconds = (unixSeconds * 10) + digit;
        }

        return true;
    }

    private static WebhookVerificationStatus CheckFreshness(long unixSeconds, DateTimeOffset now, TimeSpan tolerance)
    {
        const long MaxUnixSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z
        if (unixSeconds > MaxUnixSeconds)
        {
            return WebhookVerificationStatus.TimestampTooNew;
        }

        var sentTicks = DateTimeOffset.UnixEpoch.UtcTicks + (unixSeconds * TimeSpan.TicksPerSecond);
        var age = now.UtcTicks - sentTicks;
        if (age > tolerance.Ticks)
        {
            return WebhookVerificationStatus.TimestampTooOld;
        }

        return -age > tolerance.Ticks ? WebhookVerificationStatus.TimestampTooNew : WebhookVerificationStatus.Valid;
    }

    /// <summary>
    /// <see cref="WebhookVerificationStatus.Valid"/> when some <c>v1</c> token could match, otherwise why none can.
    /// </summary>
    private static WebhookVerificationStatus ScanTokens(ReadOnlySpan<char> header)
    {
        var wellFormed = false;
        Span<byte> decoded = stackalloc byte[HmacSha256.MacSize];
        while (NextToken(ref header, out var token))
        {
            var comma = token.IndexOf(',');
            if (comma <= 0 || comma == token.Length - 1)
            {
                continue;
            }

            wellFormed = true;
            if (TryDecodeV1(token, comma, decoded))
            {
                return WebhookVerificationStatus.Valid;
            }
        }

        return wellFormed ? WebhookVerificationStatus.NoMatchingSignature : WebhookVerificationStatus.MalformedHeader;
    }

    private static bool AnyTokenMatches(ReadOnlySpan<char> header, ReadOnlySpan<byte> mac)
    {
        var matched = false;
        Span<byte> decoded = stackalloc byte[HmacSha256.MacSize];
        while (NextToken(ref header, out var token))
        {
            var comma = token.IndexOf(',');

            // Keep comparing after a match so the time does not depend on the match's position.
            if (comma > 0 && TryDecodeV1(token, comma, decoded))
            {
                matched |= CryptographicOperations.FixedTimeEquals(decoded, mac);
            }
        }

        return matched;
    }

    /// <summary>Takes the next space-delimited token off <paramref name="rest"/> (net8.0 has no span Split).</summary>
    private static bool NextToken(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> token)
    {
        if (rest.IsEmpty)
        {
            token = default;
            return false;
        }

        var space = rest.IndexOf(' ');
        if (space < 0)
        {
            token = rest;
            rest = default;
        }
        else
        {
            token = rest[..space];
            rest = rest[(space + 1)..];
        }

        return true;
    }

    private static bool TryDecodeV1(ReadOnlySpan<char> token, int comma, Span<byte> decoded) =>
        token[..comma].SequenceEqual(Version1) &&
        token.Length - comma - 1 == Base64MacLength &&
        Convert.TryFromBase64Chars(token[(comma + 1)..], decoded, out var written) &&
        written == HmacSha256.MacSize;
}
