using System.Text.Json;

namespace Webhooks.Receiver.Internal;

/// <summary>Reads a few top-level fields of a JSON object without building a document (provider payloads without an envelope).</summary>
internal static class JsonFields
{
    /// <summary>Called at each top-level property name; reads the value (and returns <see langword="true"/>) when it wants it.</summary>
    public delegate bool PropertyVisitor<TState>(ref TState state, ref Utf8JsonReader reader);

    /// <summary>Visits the top-level properties of a JSON object.</summary>
    /// <returns><see langword="false"/> when the body is not a JSON object.</returns>
    public static bool TryVisit<TState>(ReadOnlySpan<byte> json, ref TState state, PropertyVisitor<TState> visitor)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!visitor(ref state, ref reader))
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Returns whether the bytes are one complete JSON value.</summary>
    public static bool IsValid(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>The fields of a Stripe event object.</summary>
    public struct Stripe
    {
        public static readonly PropertyVisitor<Stripe> Visitor = Visit;

        public string? Id;
        public string? Type;
        public long? Created;

        private static bool Visit(ref Stripe state, ref Utf8JsonReader reader)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                state.Id = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                state.Type = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                state.Created = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var created)
                    && created is >= 0 and <= 253402300799 ? created : null;
                reader.Skip();
            }
            else
            {
                return false;
            }

            return true;
        }
    }

    /// <summary>The fields of a Slack Events API payload.</summary>
    public struct Slack
    {
        public static readonly PropertyVisitor<Slack> Visitor = Visit;

        public string? Type;
        public string? EventId;
        public string? EventType;
        public string? Challenge;

        private static bool Visit(ref Slack state, ref Utf8JsonReader reader)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                state.Type = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("event_id"u8))
            {
                state.EventId = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("challenge"u8))
            {
                state.Challenge = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("event"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    return true;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("type"u8))
                    {
                        state.EventType = ReadString(ref reader);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                return false;
            }

            return true;
        }
    }
}
