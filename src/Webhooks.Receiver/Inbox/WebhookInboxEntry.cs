namespace Webhooks.Receiver.Inbox;

/// <summary>What the receiver stores for one accepted webhook (see <see cref="IWebhookInboxStore.AddAsync"/>).</summary>
public sealed class WebhookInboxEntry
{
    /// <summary>Gets the receiver's name (empty for the default receiver).</summary>
    public required string ReceiverName { get; init; }

    /// <summary>Gets the message id: at most 256 visible ASCII characters.</summary>
    public required string MessageId { get; init; }

    /// <summary>Gets the event type: at most 256 visible ASCII characters, or empty for a fallback handler.</summary>
    public required string EventType { get; init; }

    /// <summary>Gets the time the sender gave the event, when known.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Gets the time the receiver accepted it; the item is due at once.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Gets the verified body. The memory belongs to the request: copy it when storing.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Gets the payload when it is not a slice of <see cref="Body"/>; see <see cref="WebhookInboxItem.Payload"/>.</summary>
    public ReadOnlyMemory<byte>? Payload { get; init; }

    /// <summary>Gets where the payload starts in <see cref="Body"/>.</summary>
    public int PayloadStart { get; init; }

    /// <summary>Gets the payload's length in <see cref="Body"/>.</summary>
    public int PayloadLength { get; init; }

    /// <summary>Gets the headers as a JSON object (store it as text, as given).</summary>
    public required string Headers { get; init; }
}
