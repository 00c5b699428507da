namespace Webhooks.Core;

/// <summary>
/// A reusable Standard Webhooks verifier bound to a set of secrets, a clock and a tolerance.
/// Thread-safe; create one and share it.
/// </summary>
/// <remarks>
/// The verifier takes header values, not header names, so it serves the <c>webhook-*</c> headers and their
/// <c>svix-*</c> aliases (<see cref="StandardWebhookHeaders"/>) alike.
/// </remarks>
public sealed class StandardWebhookVerifier
{
    private readonly WebhookSecret[] _secrets;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a verifier.</summary>
    /// <param name="secrets">The accepted secrets (at least one).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="tolerance">The tolerance in both directions; <see cref="StandardWebhook.DefaultTolerance"/> when not given.</param>
    /// <exception cref="ArgumentNullException"><paramref name="secrets"/> is null.</exception>
    /// <exception cref="ArgumentException">No secrets, a null secret, or a negative tolerance.</exception>
    public StandardWebhookVerifier(IEnumerable<WebhookSecret> secrets, TimeProvider? timeProvider = null, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = secrets.ToArray();
        Tolerance = tolerance ?? StandardWebhook.DefaultTolerance;
        StandardWebhook.ValidateVerifyArguments(_secrets, Tolerance);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets or sets a value indicating whether the timestamp is checked.</summary>
    /// <value>The default is <see langword="true"/>. Turn it off only to verify stored messages being replayed.</value>
    public bool CheckTimestamp { get; init; } = true;

    /// <summary>Gets the tolerance in both directions.</summary>
    /// <value>The default is <see cref="StandardWebhook.DefaultTolerance"/> (5 minutes).</value>
    public TimeSpan Tolerance { get; }

    /// <summary>Verifies a message; see <see cref="StandardWebhook.Verify"/>. Never throws for bad input.</summary>
    /// <param name="messageId">The <c>webhook-id</c> header value.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header value.</param>
    /// <param name="signature">The <c>webhook-signature</c> header value.</param>
    /// <param name="body">The raw body bytes.</param>
    /// <returns>The result.</returns>
    public WebhookVerificationResult Verify(string? messageId, string? timestamp, string? signature, ReadOnlySpan<byte> body) =>
        StandardWebhook.Verify(
            body,
            messageId,
            timestamp,
            signature,
            _secrets,
            _timeProvider.GetUtcNow(),
            CheckTimestamp ? Tolerance : null);
}
