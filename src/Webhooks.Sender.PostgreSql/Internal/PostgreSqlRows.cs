using System.Text;
using System.Text.Json;
using Npgsql;
using Webhooks.Core;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql.Internal;

/// <summary>Maps rows (in the column orders of <see cref="PostgreSqlCommands"/>) to records, and dictionaries to JSON.</summary>
internal static class PostgreSqlRows
{
    public static WebhookSubscription ReadSubscription(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        TenantId = String(r, 1),
        Url = new Uri(r.GetString(2), UriKind.Absolute),
        EventTypes = r.GetFieldValue<string[]>(3),
        Secrets = ReadSecrets(r.GetString(4)),
        Enabled = r.GetBoolean(5),
        DisabledReason = String(r, 6),
        Description = String(r, 7),
        Metadata = ReadDictionary(r.GetString(8)),
        Headers = ReadDictionary(r.GetString(9)),
        RateLimitPerSecond = r.IsDBNull(10) ? null : r.GetInt32(10),
        CreatedAt = Time(r, 11),
        UpdatedAt = Time(r, 12),
    };

    public static WebhookMessage ReadMessage(NpgsqlDataReader r, int o) => new()
    {
        Id = r.GetString(o),
        TenantId = String(r, o + 1),
        EventType = r.GetString(o + 2),
        Payload = r.GetFieldValue<byte[]>(o + 3),
        IdempotencyKey = String(r, o + 4),
        TraceParent = String(r, o + 5),
        TraceState = String(r, o + 6),
        CreatedAt = Time(r, o + 7),
    };

    public static WebhookDelivery ReadDelivery(NpgsqlDataReader r, int o) => new()
    {
        Id = r.GetString(o),
        MessageId = r.GetString(o + 1),
        SubscriptionId = r.GetString(o + 2),
        TenantId = String(r, o + 3),
        EventType = r.GetString(o + 4),
        Status = (WebhookDeliveryStatus)r.GetInt16(o + 5),
        AttemptCount = r.GetInt32(o + 6),
        NextAttemptAt = Time(r, o + 7),
        LastAttemptAt = NullableTime(r, o + 8),
        LastStatusCode = r.IsDBNull(o + 9) ? null : r.GetInt32(o + 9),
        FailureReason = String(r, o + 10),
        LeaseId = String(r, o + 11),
        LeaseOwner = String(r, o + 12),
        LeaseExpiresAt = NullableTime(r, o + 13),
        CreatedAt = Time(r, o + 14),
        CompletedAt = NullableTime(r, o + 15),
    };

    public static WebhookAttempt ReadAttempt(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        DeliveryId = r.GetString(1),
        MessageId = r.GetString(2),
        SubscriptionId = r.GetString(3),
        TenantId = String(r, 4),
        AttemptNumber = r.GetInt32(5),
        Url = r.GetString(6),
        StartedAt = Time(r, 7),
        Duration = r.GetFieldValue<TimeSpan>(8),
        Succeeded = r.GetBoolean(9),
        Error = (WebhookAttemptError)r.GetInt16(10),
        ErrorMessage = String(r, 11),
        StatusCode = r.IsDBNull(12) ? null : r.GetInt32(12),
        ResponseHeaders = ReadDictionary(r.GetString(13)),
        ResponseExcerpt = String(r, 14),
        RemoteAddress = String(r, 15),
    };

    public static string WriteDictionary(IReadOnlyDictionary<string, string>? values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (values is not null)
            {
                foreach (var pair in values)
                {
                    writer.WriteString(pair.Key, pair.Value);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    // Secrets are stored in their encoded form: the database is as sensitive as any other secret store.
    public static string WriteSecrets(IReadOnlyList<WebhookSubscriptionSecret>? secrets)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var s in secrets ?? [])
            {
                writer.WriteStartObject();
                writer.WriteString("secret", s.Secret.RevealEncoded());
                writer.WriteString("created_at", s.CreatedAt);
                if (s.ExpiresAt is { } expires)
                {
                    writer.WriteString("expires_at", expires);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static Dictionary<string, string> ReadDictionary(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            result[property.Name] = property.Value.GetString() ?? string.Empty;
        }

        return result;
    }

    private static WebhookSubscriptionSecret[] ReadSecrets(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = new WebhookSubscriptionSecret[document.RootElement.GetArrayLength()];
        var i = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            result[i++] = new WebhookSubscriptionSecret(
                WebhookSecret.Parse(element.GetProperty("secret").GetString()!),
                element.GetProperty("created_at").GetDateTimeOffset(),
                element.TryGetProperty("expires_at", out var expires) ? expires.GetDateTimeOffset() : null);
        }

        return result;
    }

    private static string? String(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset Time(NpgsqlDataReader r, int i) => r.GetFieldValue<DateTimeOffset>(i);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}
