using System.Diagnostics.CodeAnalysis;

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

    private WebhookSecret(byte[] key) => throw new NotImplementedException();

    /// <summary>Gets the size of the key in bytes.</summary>
    public int KeySize => throw new NotImplementedException();

    /// <summary>Internal access to the key bytes for signing.</summary>
    internal ReadOnlySpan<byte> Key => throw new NotImplementedException();

    /// <summary>Generates a new random secret of <see cref="DefaultKeySize"/> bytes.</summary>
    /// <returns>The new secret.</returns>
    public static WebhookSecret Generate() => Generate(DefaultKeySize);

    /// <summary>Generates a new random secret.</summary>
    /// <param name="keySize">The key size in bytes, from <see cref="MinKeySize"/> to <see cref="MaxKeySize"/>.</param>
    /// <returns>The new secret.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keySize"/> is outside the accepted range.</exception>
    public static WebhookSecret Generate(int keySize) => throw new NotImplementedException();

    /// <summary>Creates a secret from raw key bytes (copied).</summary>
    /// <param name="key">The key, <see cref="MinKeySize"/> to <see cref="MaxKeySize"/> bytes.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="ArgumentException">The key has the wrong length.</exception>
    public static WebhookSecret FromBytes(ReadOnlySpan<byte> key) => throw new NotImplementedException();

    /// <summary>Parses <c>whsec_&lt;base64&gt;</c> or bare base64.</summary>
    /// <param name="value">The encoded secret.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="FormatException">The value is empty, not base64, or decodes to a key of the wrong length. The message never contains the value.</exception>
    public static WebhookSecret Parse(string value) => throw new NotImplementedException();

    /// <summary>Tries to parse <c>whsec_&lt;base64&gt;</c> or bare base64.</summary>
    /// <param name="value">The encoded secret.</param>
    /// <param name="secret">The secret, when the value is valid.</param>
    /// <returns><see langword="true"/> when the value is a valid secret.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out WebhookSecret? secret) => throw new NotImplementedException();

    /// <summary>Tries to parse a secret and explains what is wrong when it is not valid.</summary>
    /// <param name="value">The encoded secret.</param>
    /// <param name="secret">The secret, when the value is valid.</param>
    /// <param name="error">Why the value is not a valid secret (never contains the value itself).</param>
    /// <returns><see langword="true"/> when the value is a valid secret.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out WebhookSecret? secret, [NotNullWhen(false)] out string? error) => throw new NotImplementedException();

    /// <summary>Returns the encoded form <c>whsec_&lt;base64&gt;</c>, for storage. Treat the result as sensitive.</summary>
    /// <returns>The encoded secret.</returns>
    public string RevealEncoded() => throw new NotImplementedException();

    /// <summary>Returns a redacted description that never contains the key.</summary>
    /// <returns>A redacted description.</returns>
    public override string ToString() => throw new NotImplementedException();

    /// <inheritdoc />
    public bool Equals(WebhookSecret? other) => throw new NotImplementedException();

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WebhookSecret);

    /// <inheritdoc />
    public override int GetHashCode() => throw new NotImplementedException();
}
