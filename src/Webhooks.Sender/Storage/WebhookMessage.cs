namespace Webhooks.Sender;

/// <summary>
/// A published event: the exact envelope bytes, stored once however many endpoints it fans out to. The same bytes
/// are sent to every endpoint on every attempt.
/// </summary>
public sealed record WebhookMessage
{
    /// <summary>Gets the message id (<c>msg_...</c>), sent as the <c>webhook-id</c> header on every attempt.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the tenant the message was published for, or <see langword="null"/> for none.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the event type.</summary>
    public required string EventType { get; init; }

    /// <summary>Gets the serialized envelope (UTF-8 JSON), exactly as sent.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Gets the publisher's idempotency key, or <see langword="null"/>. Unique per tenant.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets the W3C <c>traceparent</c> of the publishing span, so attempts continue the publisher's trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Gets the W3C <c>tracestate</c> of the publishing span.</summary>
    public string? TraceState { get; init; }

    /// <summary>Gets when the message was published.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
