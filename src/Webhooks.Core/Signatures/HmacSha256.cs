using System.Security.Cryptography;

namespace Webhooks.Core;

/// <summary>
/// HMAC-SHA256 over <c>prefix || body</c> without copying the body and without allocating:
/// <c>SHA256((K ^ opad) || SHA256((K ^ ipad) || prefix || body))</c> (RFC 2104), on a per-thread
/// <see cref="IncrementalHash"/>.
/// </summary>
internal static class HmacSha256
{
    /// <summary>The MAC size in bytes.</summary>
    public const int MacSize = 32;

    /// <summary>The SHA-256 block size in bytes; keys are at most this long (<see cref="WebhookSecret.MaxKeySize"/>).</summary>
    public const int BlockSize = 64;

    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    /// <summary>Computes the MAC of the prefix in <paramref name="paddedPrefix"/> followed by <paramref name="body"/>.</summary>
    /// <param name="key">The key, at most <see cref="BlockSize"/> bytes.</param>
    /// <param name="paddedPrefix">
    /// A buffer whose first <see cref="BlockSize"/> bytes are free for the inner pad, followed by the prefix.
    /// Passing them together saves one native call per message.
    /// </param>
    /// <param name="body">The body.</param>
    /// <param name="mac">Receives the <see cref="MacSize"/>-byte MAC.</param>
    public static void Compute(ReadOnlySpan<byte> key, Span<byte> paddedPrefix, ReadOnlySpan<byte> body, Span<byte> mac)
    {
        var sha = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        var pad = paddedPrefix[..BlockSize];
        FillPad(key, pad, 0x36);
        sha.AppendData(paddedPrefix);
        if (!body.IsEmpty)
        {
            sha.AppendData(body);
        }

        Span<byte> outer = stackalloc byte[BlockSize + MacSize];
        sha.GetHashAndReset(outer[BlockSize..]);
        FillPad(key, outer[..BlockSize], 0x5c);

        // Reusing the reset hash is cheaper than the one-shot SHA256.HashData, which creates a native context.
        sha.AppendData(outer);
        sha.GetHashAndReset(mac);

        CryptographicOperations.ZeroMemory(pad);
        CryptographicOperations.ZeroMemory(outer[..BlockSize]);
    }

    private static void FillPad(ReadOnlySpan<byte> key, Span<byte> pad, byte value)
    {
        pad.Fill(value);
        for (var i = 0; i < key.Length; i++)
        {
            pad[i] ^= key[i];
        }
    }
}
