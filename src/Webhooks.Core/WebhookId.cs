using System.Security.Cryptography;

namespace Webhooks.Core;

/// <summary>
/// Time-sortable unique ids: a prefix and 26 Crockford base32 characters (48-bit millisecond time and
/// 80 random bits, like a ULID), for example <c>msg_01JD9Z6W3Q8XG5V2K7M4N0P1RS</c>.
/// </summary>
/// <remarks>
/// Within one process, ids created in the same millisecond reuse the previous id's random part plus one (ULID's
/// monotonic mode), so ids sort (ordinally) in creation order. When the clock moves backwards, new ids carry the
/// earlier time, so order across such a step follows the clock. Thread-safe.
/// </remarks>
public static class WebhookId
{
    /// <summary>The prefix of message ids: <c>msg_</c>.</summary>
    public const string MessagePrefix = "msg_";

    /// <summary>The prefix of subscription ids: <c>sub_</c>.</summary>
    public const string SubscriptionPrefix = "sub_";

    /// <summary>The prefix of delivery ids: <c>dlv_</c>.</summary>
    public const string DeliveryPrefix = "dlv_";

    /// <summary>The prefix of attempt ids: <c>atm_</c>.</summary>
    public const string AttemptPrefix = "atm_";

    /// <summary>The number of characters after the prefix.</summary>
    internal const int EncodedLength = 26;

    private const int TimeLength = 10;
    private const int RandomBytes = 10;
    private const long MaxTime = (1L << 48) - 1;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private static readonly UInt128 RandomMask = (UInt128.One << 80) - 1;

#if NET9_0_OR_GREATER
    private static readonly Lock Gate = new();
#else
    private static readonly object Gate = new();
#endif

    private static long _lastTime = -1;
    private static UInt128 _lastRandom;

    /// <summary>Creates a new message id.</summary>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The id.</returns>
    public static string NewMessageId(TimeProvider? timeProvider = null) => New(MessagePrefix, timeProvider);

    /// <summary>Creates a new id with the given prefix. Ids created later sort after earlier ones (to the millisecond).</summary>
    /// <param name="prefix">The prefix, for example <c>msg_</c>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prefix"/> is null.</exception>
    public static string New(string prefix, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var time = Math.Clamp((timeProvider ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds(), 0, MaxTime);
        UInt128 random;
        lock (Gate)
        {
            if (time == _lastTime && _lastRandom < RandomMask)
            {
                random = ++_lastRandom;
            }
            else
            {
                // A new millisecond, or (rarely) 2^80 ids in one: start from fresh random bits. On overflow move to the
                // next millisecond so that order still holds.
                if (time == _lastTime)
                {
                    time = Math.Min(time + 1, MaxTime);
                }

                random = NextRandom();
                _lastTime = time;
                _lastRandom = random;
            }
        }

        Span<char> chars = stackalloc char[EncodedLength];
        var value = ((UInt128)(ulong)time << 80) | random;
        for (var i = EncodedLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(ulong)(value & 31)];
            value >>= 5;
        }

        return string.Concat(prefix.AsSpan(), chars);
    }

    /// <summary>
    /// Returns the smallest id with <paramref name="prefix"/> that can be created at <paramref name="time"/>: every id
    /// created at or after that millisecond sorts (ordinally) at or after it, and every id created before it sorts
    /// before. Stores use it to bound a time window by a primary key range.
    /// </summary>
    /// <param name="prefix">The prefix, for example <c>dlv_</c>.</param>
    /// <param name="time">The time; clamped to the range an id can encode (1970 to the year 10889).</param>
    /// <returns>The bound, for example <c>dlv_01JD9Z6W3Q0000000000000000</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prefix"/> is null.</exception>
    public static string LowerBound(string prefix, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var ms = Math.Clamp(time.ToUnixTimeMilliseconds(), 0, MaxTime);
        Span<char> chars = stackalloc char[EncodedLength];
        chars.Fill('0');
        for (var i = TimeLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(ms & 31)];
            ms >>= 5;
        }

        return string.Concat(prefix.AsSpan(), chars);
    }

    /// <summary>Reads the creation time encoded in an id (to the millisecond).</summary>
    internal static bool TryGetTimestamp(string? id, int prefixLength, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (id is null || id.Length != prefixLength + EncodedLength)
        {
            return false;
        }

        long time = 0;
        foreach (var c in id.AsSpan(prefixLength, TimeLength))
        {
            var digit = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            time = (time << 5) | (uint)digit;
        }

        if (time > MaxTime)
        {
            return false;
        }

        timestamp = DateTimeOffset.FromUnixTimeMilliseconds(time);
        return true;
    }

    private static UInt128 NextRandom()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[..RandomBytes]);
        bytes[RandomBytes..].Clear();
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(bytes) & RandomMask;
    }
}
