namespace Webhooks.Core.Signatures;

/// <summary>
/// A reusable Standard Webhooks verifier bound to a set of secrets, a clock and a tolerance.
/// Thread-safe; create one and share it.
/// </summary>
public sealed class StandardWebhookVerifier
{
    /// <summary>Creates a verifier.</summary>
    /// <param name="secrets">The accepted secrets (at least one).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="tolerance">The tolerance in both directions; <see cref="StandardWebhook.DefaultTolerance"/> when not given.</param>
    /// <exception cref="ArgumentException">No secrets, or a negative tolerance.</exception>
    public StandardWebhookVerifier(IEnumerable<WebhookSecret> secrets, TimeProvider? timeProvider = null, TimeSpan? tolerance = null) => throw new NotImplementedException();

    /// <summary>Gets or sets a value indicating whether the timestamp is checked.</summary>
    /// <value>The default is <see langword="true"/>. Turn it off only to verify stored messages being replayed.</value>
    public bool CheckTimestamp { get; init; } = true;

    /// <summary>Gets the tolerance in both directions.</summary>
    public TimeSpan Tolerance => throw new NotImplementedException();

    /// <summary>Verifies a message; see <see cref="StandardWebhook.Verify"/>.</summary>
    /// <param name="messageId">The <c>webhook-id</c> header value.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header value.</param>
    /// <param name="signature">The <c>webhook-signature</c> header value.</param>
    /// <param name="body">The raw body bytes.</param>
    /// <returns>The result.</returns>
    public WebhookVerificationResult Verify(string? messageId, string? timestamp, string? signature, ReadOnlySpan<byte> body) => throw new NotImplementedException();
}
