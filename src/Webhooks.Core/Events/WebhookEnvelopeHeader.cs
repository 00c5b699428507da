namespace Webhooks.Core.Events;

/// <summary>The envelope's fields, with the <c>data</c> element located in the body for typed deserialization.</summary>
/// <param name="Type">The event type.</param>
/// <param name="Timestamp">The event time, when present and valid.</param>
/// <param name="DataOffset">The byte offset of the <c>data</c> value in the body, or -1 when absent.</param>
/// <param name="DataLength">The byte length of the <c>data</c> value, or 0 when absent.</param>
public readonly record struct WebhookEnvelopeHeader(string Type, DateTimeOffset? Timestamp, int DataOffset, int DataLength)
{
    /// <summary>Gets a value indicating whether the envelope has a <c>data</c> member.</summary>
    public bool HasData => DataOffset >= 0;
}
