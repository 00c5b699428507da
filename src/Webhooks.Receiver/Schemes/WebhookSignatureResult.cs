using Webhooks.Core;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver.Schemes;

/// <summary>The answer of an <see cref="IWebhookSignatureScheme"/>: whether the request is genuine, and what it carries.</summary>
public readonly record struct WebhookSignatureResult
{
    /// <summary>Gets why the verification succeeded or failed.</summary>
    public WebhookVerificationStatus Status { get; init; }

    /// <summary>Gets the message id used for replay protection (the same on every retry of one message).</summary>
    public string? MessageId { get; init; }

    /// <summary>
    /// Gets the event type when the scheme carries it outside the body (a header, or the provider's event object);
    /// <see langword="null"/> when it comes from the Standard Webhooks envelope.
    /// </summary>
    public string? EventType { get; init; }

    /// <summary>Gets the time the sender gave the message, when the scheme carries one.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>
    /// Gets a value indicating whether the body is a Standard Webhooks envelope (<c>{"type", "timestamp", "data"}</c>):
    /// the event type is read from it and handlers receive its <c>data</c>. When <see langword="false"/> handlers receive the whole body.
    /// </summary>
    public bool IsEnvelope { get; init; }

    /// <summary>
    /// Gets the JSON that handlers receive when it is not the body itself (for example the fields of a form-encoded
    /// Slack slash command, written as a JSON object); <see langword="null"/> to use the body.
    /// </summary>
    public ReadOnlyMemory<byte>? Payload { get; init; }

    /// <summary>Gets a value indicating whether the request is genuine and fresh.</summary>
    public bool IsValid => Status == WebhookVerificationStatus.Valid;

    /// <summary>Creates a failed result.</summary>
    /// <param name="status">Why the verification failed; must not be <see cref="WebhookVerificationStatus.Valid"/>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException"><paramref name="status"/> is <see cref="WebhookVerificationStatus.Valid"/>.</exception>
    public static WebhookSignatureResult Fail(WebhookVerificationStatus status)
    {
        if (status == WebhookVerificationStatus.Valid)
        {
            throw new ArgumentException("A failed result needs a failing status.", nameof(status));
        }

        return new() { Status = status };
    }

    /// <summary>Creates a successful result.</summary>
    /// <param name="messageId">The message id (the idempotency key).</param>
    /// <param name="eventType">The event type, or <see langword="null"/> when the body is an envelope that names it.</param>
    /// <param name="timestamp">The sender's timestamp, when known.</param>
    /// <param name="isEnvelope">Whether the body is a Standard Webhooks envelope.</param>
    /// <returns>The result.</returns>
    public static WebhookSignatureResult Success(string messageId, string? eventType, DateTimeOffset? timestamp, bool isEnvelope)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        return new() { Status = WebhookVerificationStatus.Valid, MessageId = messageId, EventType = eventType, Timestamp = timestamp, IsEnvelope = isEnvelope };
    }

    /// <summary>A genuine request whose body names (or fails to name) its event: the endpoint answers 400 when the id or type is missing.</summary>
    internal static WebhookSignatureResult FromPayload(string? id, string? type, DateTimeOffset? timestamp, ReadOnlyMemory<byte>? payload = null) =>
        id is not null && type is not null && WebhookHeaders.IsToken(id) && WebhookHeaders.IsToken(type)
            ? Success(id, type, timestamp, isEnvelope: false) with { Payload = payload }
            : new WebhookSignatureResult { Status = WebhookVerificationStatus.Valid, Timestamp = timestamp };
}
