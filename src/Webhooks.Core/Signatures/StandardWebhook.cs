namespace Webhooks.Core.Signatures;

/// <summary>
/// Standard Webhooks <c>v1</c> (HMAC-SHA256) signing and verification over the raw body bytes.
/// Signed content is <c>{id}.{timestamp}.{body}</c>; the token is <c>v1,</c> + base64 of the MAC.
/// </summary>
public static class StandardWebhook
{
    /// <summary>The default timestamp tolerance in both directions: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Signs a message and returns its <c>v1,&lt;base64&gt;</c> token.</summary>
    /// <param name="secret">The signing secret.</param>
    /// <param name="messageId">The message id (the <c>webhook-id</c> header value).</param>
    /// <param name="timestamp">The attempt's unix time in seconds (the <c>webhook-timestamp</c> header value).</param>
    /// <param name="body">The exact body bytes that will be sent.</param>
    /// <returns>The signature token.</returns>
    public static string Sign(WebhookSecret secret, string messageId, long timestamp, ReadOnlySpan<byte> body) => throw new NotImplementedException();

    /// <summary>Signs a message with every secret and returns the space-separated <c>webhook-signature</c> header value.</summary>
    /// <param name="secrets">The active secrets (during rotation, the new and the old).</param>
    /// <param name="messageId">The message id.</param>
    /// <param name="timestamp">The attempt's unix time in seconds.</param>
    /// <param name="body">The exact body bytes that will be sent.</param>
    /// <returns>The header value.</returns>
    public static string Sign(IReadOnlyList<WebhookSecret> secrets, string messageId, long timestamp, ReadOnlySpan<byte> body) => throw new NotImplementedException();

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
    public static WebhookVerificationResult Verify(
        ReadOnlySpan<byte> body,
        string? messageId,
        string? timestamp,
        string? signature,
        ReadOnlySpan<WebhookSecret> secrets,
        DateTimeOffset now,
        TimeSpan? tolerance) => throw new NotImplementedException();
}
