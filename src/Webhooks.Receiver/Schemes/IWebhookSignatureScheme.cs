using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver.Schemes;

/// <summary>
/// Verifies one webhook request and names its message id and event type. Implement it for a sender whose
/// scheme is not built in, and select it with <see cref="WebhookReceiverOptions.UseScheme(IWebhookSignatureScheme)"/>.
/// </summary>
/// <remarks>
/// Implementations must be thread-safe and must never throw for bad input: every problem is a
/// <see cref="WebhookSignatureResult"/> with a failing status. Compare signatures in constant time
/// (<see cref="System.Security.Cryptography.CryptographicOperations.FixedTimeEquals"/>).
/// </remarks>
public interface IWebhookSignatureScheme
{
    /// <summary>Verifies a request.</summary>
    /// <param name="headers">The request headers.</param>
    /// <param name="body">The raw body bytes, exactly as received.</param>
    /// <param name="options">The receiver's options (secrets, tolerance).</param>
    /// <param name="now">The current time, from the receiver's <see cref="TimeProvider"/>.</param>
    /// <returns>The result: a status and, when valid, the message id, event type and timestamp.</returns>
    WebhookSignatureResult Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body, WebhookReceiverOptions options, DateTimeOffset now);
}
