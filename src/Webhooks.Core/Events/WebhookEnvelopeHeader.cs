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

    /// <summary>Returns the raw JSON of the <c>data</c> value, sliced from the body this header was read from (no copy).</summary>
    /// <param name="body">The body bytes passed to <see cref="WebhookEnvelope.TryRead"/>.</param>
    /// <returns>The data value's bytes, or an empty span when there is no <c>data</c> member.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The body is shorter than the recorded range (not the body this header came from).</exception>
    public ReadOnlySpan<byte> GetData(ReadOnlySpan<byte> body) => HasData ? body.Slice(DataOffset, DataLength) : default;
}
