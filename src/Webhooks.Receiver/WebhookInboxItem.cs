namespace Webhooks.Receiver;

/// <summary>One webhook accepted into an inbox, with its processing state.</summary>
public sealed class WebhookInboxItem
{
    /// <summary>Gets the store's id of the item (increasing in the order items were stored).</summary>
    public required long Id { get; init; }

    /// <summary>Gets the name of the receiver that accepted it (empty for the default receiver).</summary>
    public required string ReceiverName { get; init; }

    /// <summary>Gets the message id; with <see cref="ReceiverName"/> it is unique in the inbox.</summary>
    public required string MessageId { get; init; }

    /// <summary>Gets the event type.</summary>
    public required string EventType { get; init; }

    /// <summary>Gets the time the sender gave the event, when known.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Gets the time the receiver stored it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Gets the request body exactly as received and verified.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>
    /// Gets the JSON the handlers bind when it is not a slice of <see cref="Body"/> (a Slack form, a custom scheme's
    /// payload); otherwise <see langword="null"/> and the payload is <see cref="Body"/> from <see cref="PayloadStart"/>.
    /// </summary>
    public ReadOnlyMemory<byte>? Payload { get; init; }

    /// <summary>Gets where the payload starts in <see cref="Body"/> (the Standard Webhooks envelope's <c>data</c>).</summary>
    public int PayloadStart { get; init; }

    /// <summary>Gets the payload's length in <see cref="Body"/>.</summary>
    public int PayloadLength { get; init; }

    /// <summary>Gets the request headers the handlers see, as a JSON object of names to values (credentials and cookies removed).</summary>
    public required string Headers { get; init; }

    /// <summary>Gets the state.</summary>
    public WebhookInboxState State { get; init; }

    /// <summary>Gets how many attempts were started (a claim counts as one).</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the time of the next attempt while pending.</summary>
    public DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>Gets the last failure (the exception's type and message), if any.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets the claim that owns the item while processing.</summary>
    public string? LeaseId { get; init; }

    /// <summary>Gets the time the lease runs out while processing.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Gets the time the item was processed or declared dead.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets the payload the handlers bind.</summary>
    internal ReadOnlyMemory<byte> HandlerPayload => Payload ?? Body.Slice(PayloadStart, PayloadLength);

    /// <inheritdoc />
    public override string ToString() => $"WebhookInboxItem {Id} ({ReceiverName}/{MessageId}, {EventType}, {State}, {Attempts} attempts)";
}
