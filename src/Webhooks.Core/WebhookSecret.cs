using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Webhooks.Core;

/// <summary>
/// A symmetric webhook signing key (Standard Webhooks <c>whsec_</c> secret). The key bytes never appear in
/// <see cref="ToString"/>, logs or exception messages; use <see cref="RevealEncoded"/> to store it.
/// </summary>
public sealed class WebhookSecret : IEquatable<WebhookSecret>
{
    /// <summary>The prefix of the encoded form: <c>whsec_</c>.</summary>
    public const string Prefix = "whsec_";

    /// <summary>The key size, in bytes, that <see cref="Generate()"/> uses: 32.</summary>
    public const int DefaultKeySize = 32;

    /// <summary>The smallest accepted key size, in bytes: 24.</summary>
    public const int MinKeySize = 24;

    /// <summary>The largest accepted key size, in bytes: 64.</summary>
    public const int MaxKeySize = 64;

    // Base64 of MaxKeySize bytes is 88 characters; anything much longer cannot be a valid secret.
    private const int MaxEncodedLength = 4 * ((MaxKeySize + 2) / 3);

    private readonly byte[] _key;

    private WebhookSecret(byte[] key) => _key = key;

    /// <summary>Gets the size of the key in bytes.</summary>
    public int KeySize => _key.Length;

    /// <summary>Internal access to the key bytes for signing.</summary>
    internal ReadOnlySpan<byte> Key => _key;

    /// <summary>Generates a new random secret of <see cref="DefaultKeySize"/> bytes.</summary>
    /// <returns>The new secret.</returns>
    public static WebhookSecret Generate() => Generate(DefaultKeySize);

    /// <summary>Generates a new random secret.</summary>
    /// <param name="keySize">The key size in bytes, from <see cref="MinKeySize"/> to <see cref="MaxKeySize"/>.</param>
    /// <returns>The new secret.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keySize"/> is outside the accepted range.</exception>
    public static WebhookSecret Generate(int keySize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keySize, MinKeySize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keySize, MaxKeySize);
        return new WebhookSecret(RandomNumberGenerator.GetBytes(keySize));
    }

    /// <summary>Creates a secret from raw key bytes (copied).</summary>
    /// <param name="key">The key, <see cref="MinKeySize"/> to <see cref="MaxKeySize"/> bytes.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="ArgumentException">The key has the wrong length.</exception>
    public static WebhookSecret FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length is < MinKeySize or > MaxKeySize)
        {
            throw new ArgumentException(LengthError(key.Length), nameof(key));
        }

        return new WebhookSecret(key.ToArray());
    }

    /// <summary>Parses <c>whsec_&lt;base64&gt;</c> or bare base64.</summary>
    /// <param name="value">The encoded secret.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="FormatException">The value is empty, not base64, or decodes to a key of the wrong length. The message never contains the value.</exception>
    public static WebhookSecret Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var secret, out var error) ? secret : throw new FormatException(error);
    }

    /// <summary>Tries to parse <c>whsec_&lt;base64&gt;</c> or bare base64.</summary>
    /// <param name="value">The encoded secret.</param>
    /// <param name="secret">The secret, when the value is valid.</param>
    /// <returns><see langword="true"/> when the value is a valid secret.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out WebhookSecret? secret) =>
        TryParse(value, out secret, out _);

    /// <summary>Tries to parse a secret and explains what is wrong when it is not valid.</summary>
    /// <param name="value">The encoded secret.</param>
    /// <param name="secret">The secret, when the value is valid.</param>
    /// <param name="error">Why the value is not a valid secret (never contains the value itself).</param>
    /// <returns><see langword="true"/> when the value is a valid secret.</returns>
    /// <remarks>Leading and trailing white space (a stray newline from a configuration file) is ignored.</remarks>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out WebhookSecret? secret, [NotNullWhen(false)] out string? error)
    {
        secret = null;
        var chars = value.AsSpan().Trim();
        if (chars.StartsWith(Prefix, StringComparison.Ordinal))
        {
            chars = chars[Prefix.Length..];
        }

        if (chars.IsEmpty)
        {
            error = "The webhook secret is empty. Expected 'whsec_' followed by the base64 of 24 to 64 random bytes.";
            return false;
        }

        if (chars.Length > MaxEncodedLength + 4)
        {
            error = $"The webhook secret is too long ({chars.Length} characters); a secret is 'whsec_' followed by the base64 of {MinKeySize} to {MaxKeySize} bytes.";
            return false;
        }

        Span<byte> buffer = stackalloc byte[MaxEncodedLength];
        try
        {
            if (chars.Length % 4 != 0 || !Convert.TryFromBase64Chars(chars, buffer, out var written) || ContainsWhiteSpace(chars))
            {
                error = "The webhook secret is not valid base64. Expected 'whsec_' followed by standard base64 (with '=' padding).";
                return false;
            }

            if (written is < MinKeySize or > MaxKeySize)
            {
                error = LengthError(written);
                return false;
            }

            secret = new WebhookSecret(buffer[..written].ToArray());
            error = null;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>Returns the encoded form <c>whsec_&lt;base64&gt;</c>, for storage. Treat the result as sensitive.</summary>
    /// <returns>The encoded secret.</returns>
    public string RevealEncoded() => Prefix + Convert.ToBase64String(_key);

    /// <summary>Returns a redacted description that never contains the key.</summary>
    /// <returns>A redacted description.</returns>
    public override string ToString() => $"{Prefix}[redacted, {_key.Length} bytes]";

    /// <summary>Compares the keys in constant time.</summary>
    /// <param name="other">The other secret.</param>
    /// <returns><see langword="true"/> when both hold the same key.</returns>
    public bool Equals(WebhookSecret? other) =>
        other is not null && CryptographicOperations.FixedTimeEquals(_key, other._key);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WebhookSecret);

    /// <inheritdoc />
    /// <remarks>A per-process randomized, non-reversible 32-bit digest of the key.</remarks>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(_key);
        return hash.ToHashCode();
    }

    private static string LengthError(int length) =>
        $"The webhook secret is {length} bytes long; a secret must be {MinKeySize} to {MaxKeySize} bytes (the default is {DefaultKeySize}).";

    private static bool ContainsWhiteSpace(ReadOnlySpan<char> chars) =>
        chars.IndexOfAny(" \t\r\n") >= 0;
}
