using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Webhooks.Core.Events;

/// <summary>
/// The Standard Webhooks payload envelope <c>{"type": "...", "timestamp": "&lt;ISO 8601&gt;", "data": {...}}</c>,
/// written and read with System.Text.Json (reflection or source-generated <see cref="JsonTypeInfo{T}"/>).
/// </summary>
public static class WebhookEnvelope
{
    /// <summary>Serializes an envelope to UTF-8 JSON bytes with source-generated metadata (trim and AOT safe).</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="eventType">The event type (validated).</param>
    /// <param name="timestamp">The event time.</param>
    /// <param name="data">The payload.</param>
    /// <param name="dataTypeInfo">The payload's JSON metadata.</param>
    /// <returns>The envelope's bytes.</returns>
    public static byte[] Serialize<T>(string eventType, DateTimeOffset timestamp, T data, JsonTypeInfo<T> dataTypeInfo) => throw new NotImplementedException();

    /// <summary>Serializes an envelope to UTF-8 JSON bytes with reflection-based serialization.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="eventType">The event type (validated).</param>
    /// <param name="timestamp">The event time.</param>
    /// <param name="data">The payload.</param>
    /// <param name="options">The serializer options; the web defaults (camelCase names) when null.</param>
    /// <returns>The envelope's bytes.</returns>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; pass a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; pass a JsonTypeInfo<T> for AOT.")]
    public static byte[] Serialize<T>(string eventType, DateTimeOffset timestamp, T data, JsonSerializerOptions? options = null) => throw new NotImplementedException();

    /// <summary>Reads the envelope's header fields and keeps the <c>data</c> element for typed deserialization.</summary>
    /// <param name="json">The body bytes.</param>
    /// <param name="envelope">The envelope.</param>
    /// <returns><see langword="true"/> when the bytes are a JSON object with a string <c>type</c>; <c>timestamp</c> and <c>data</c> may be absent.</returns>
    public static bool TryRead(ReadOnlySpan<byte> json, out WebhookEnvelopeHeader envelope) => throw new NotImplementedException();
}
