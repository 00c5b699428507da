using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Webhooks.Core.Events;

/// <summary>
/// The Standard Webhooks payload envelope <c>{"type": "...", "timestamp": "&lt;ISO 8601&gt;", "data": {...}}</c>,
/// written and read with System.Text.Json (reflection or source-generated <see cref="JsonTypeInfo{T}"/>).
/// </summary>
/// <remarks>
/// The envelope is serialized once; the sender stores these exact bytes and sends them unchanged on every attempt,
/// because the signature covers the bytes (re-serializing JSON breaks signatures). The timestamp is written in UTC
/// as ISO 8601 with a <c>Z</c> suffix (<c>2024-05-01T12:30:00.123Z</c>).
/// </remarks>
public static class WebhookEnvelope
{
    private const int InitialBufferSize = 256;

    private static readonly JsonSerializerOptions WebOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Serializes an envelope to UTF-8 JSON bytes with source-generated metadata (trim and AOT safe).</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="eventType">The event type (validated).</param>
    /// <param name="timestamp">The event time.</param>
    /// <param name="data">The payload.</param>
    /// <param name="dataTypeInfo">The payload's JSON metadata; its options' encoder and indentation apply.</param>
    /// <returns>The envelope's bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="eventType"/> or <paramref name="dataTypeInfo"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="eventType"/> is not a valid event type.</exception>
    public static byte[] Serialize<T>(string eventType, DateTimeOffset timestamp, T data, JsonTypeInfo<T> dataTypeInfo)
    {
        WebhookEventType.ThrowIfInvalid(eventType);
        ArgumentNullException.ThrowIfNull(dataTypeInfo);
        return Write(eventType, timestamp, dataTypeInfo.Options, (data, dataTypeInfo), static (writer, state) => JsonSerializer.Serialize(writer, state.data, state.dataTypeInfo));
    }

    /// <summary>Serializes an envelope to UTF-8 JSON bytes with reflection-based serialization.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="eventType">The event type (validated).</param>
    /// <param name="timestamp">The event time.</param>
    /// <param name="data">The payload.</param>
    /// <param name="options">The serializer options; the web defaults (camelCase names) when null.</param>
    /// <returns>The envelope's bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="eventType"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="eventType"/> is not a valid event type.</exception>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; pass a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; pass a JsonTypeInfo<T> for AOT.")]
    public static byte[] Serialize<T>(string eventType, DateTimeOffset timestamp, T data, JsonSerializerOptions? options = null)
    {
        WebhookEventType.ThrowIfInvalid(eventType);
        var effective = options ?? WebOptions;
        return Write(eventType, timestamp, effective, (data, effective), static (writer, state) => JsonSerializer.Serialize(writer, state.data, state.effective));
    }

    /// <summary>Reads the envelope's header fields and keeps the <c>data</c> element for typed deserialization.</summary>
    /// <param name="json">The body bytes.</param>
    /// <param name="envelope">The envelope.</param>
    /// <returns>
    /// <see langword="true"/> when the bytes are one JSON object with a string <c>type</c>; <c>timestamp</c> and <c>data</c>
    /// may be absent (a <c>timestamp</c> that is not an ISO 8601 string reads as <see langword="null"/>). Returns
    /// <see langword="false"/>, never throws, for anything else: invalid JSON, trailing content, a non-object, a missing or
    /// non-string <c>type</c>, or a duplicated <c>type</c>, <c>timestamp</c> or <c>data</c> member (ambiguous to parsers).
    /// The <c>type</c> is returned as sent: check it with <see cref="WebhookEventType.IsValid"/> when needed.
    /// </returns>
    public static bool TryRead(ReadOnlySpan<byte> json, out WebhookEnvelopeHeader envelope)
    {
        envelope = default;
        try
        {
            return TryReadCore(json, out envelope);
        }
        catch (JsonException)
        {
            // Utf8JsonReader reports malformed JSON only by throwing.
            return false;
        }
        catch (InvalidOperationException)
        {
            // GetString on a string that is not valid UTF-8.
            return false;
        }
    }

    /// <summary>Deserializes the envelope's <c>data</c> with source-generated metadata (trim and AOT safe).</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="json">The body bytes that <paramref name="envelope"/> was read from.</param>
    /// <param name="envelope">The envelope read by <see cref="TryRead"/>.</param>
    /// <param name="dataTypeInfo">The payload's JSON metadata.</param>
    /// <returns>The payload, or <see langword="default"/> when the envelope has no <c>data</c> (or it is <c>null</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataTypeInfo"/> is null.</exception>
    /// <exception cref="JsonException">The data does not match <typeparamref name="T"/>.</exception>
    public static T? DeserializeData<T>(ReadOnlySpan<byte> json, in WebhookEnvelopeHeader envelope, JsonTypeInfo<T> dataTypeInfo)
    {
        ArgumentNullException.ThrowIfNull(dataTypeInfo);
        return envelope.HasData ? JsonSerializer.Deserialize(envelope.GetData(json), dataTypeInfo) : default;
    }

    /// <summary>Deserializes the envelope's <c>data</c> with reflection-based serialization.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="json">The body bytes that <paramref name="envelope"/> was read from.</param>
    /// <param name="envelope">The envelope read by <see cref="TryRead"/>.</param>
    /// <param name="options">The serializer options; the web defaults (camelCase names) when null.</param>
    /// <returns>The payload, or <see langword="default"/> when the envelope has no <c>data</c> (or it is <c>null</c>).</returns>
    /// <exception cref="JsonException">The data does not match <typeparamref name="T"/>.</exception>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; pass a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; pass a JsonTypeInfo<T> for AOT.")]
    public static T? DeserializeData<T>(ReadOnlySpan<byte> json, in WebhookEnvelopeHeader envelope, JsonSerializerOptions? options = null) =>
        envelope.HasData ? JsonSerializer.Deserialize<T>(envelope.GetData(json), options ?? WebOptions) : default;

    private static byte[] Write<TState>(string eventType, DateTimeOffset timestamp, JsonSerializerOptions options, TState state, Action<Utf8JsonWriter, TState> writeData)
    {
        var buffer = new ArrayBufferWriter<byte>(InitialBufferSize);

        // The serializer takes encoder and indentation from the writer, not from the options: carry them over.
        var writerOptions = new JsonWriterOptions
        {
            Encoder = options.Encoder,
            Indented = options.WriteIndented,
#if NET9_0_OR_GREATER
            IndentCharacter = options.IndentCharacter,
            IndentSize = options.IndentSize,
            NewLine = options.NewLine,
#endif
        };
        using (var writer = new Utf8JsonWriter(buffer, writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, eventType);
            writer.WriteString("timestamp"u8, timestamp.UtcDateTime);
            writer.WritePropertyName("data"u8);
            writeData(writer, state);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool TryReadCore(ReadOnlySpan<byte> json, out WebhookEnvelopeHeader envelope)
    {
        envelope = default;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? type = null;
        DateTimeOffset? timestamp = null;
        bool seenTimestamp = false, seenData = false;
        int dataOffset = -1, dataLength = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                if (type is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                type = reader.GetString();
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                if (seenTimestamp || !reader.Read())
                {
                    return false;
                }

                seenTimestamp = true;
                timestamp = reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value) ? value : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                if (seenData || !reader.Read())
                {
                    return false;
                }

                seenData = true;
                dataOffset = (int)reader.TokenStartIndex;
                reader.Skip();
                dataLength = (int)reader.BytesConsumed - dataOffset;
            }
            else
            {
                reader.Skip();
            }
        }

        // The loop ends at the object's end; anything after it but whitespace makes Read throw.
        if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0 || reader.Read() || type is null)
        {
            return false;
        }

        envelope = new(type, timestamp, dataOffset, dataLength);
        return true;
    }
}
