using Microsoft.Data.Sqlite;
using Webhooks.Sender.Sqlite.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Sqlite;

public sealed partial class SqliteWebhookStore
{
    private const string AttemptColumns =
        "id, delivery_id, message_id, subscription_id, tenant_id, attempt_number, url, started_at, duration_us, succeeded, error, error_message, status_code, response_headers, response_excerpt, remote_address";

    private static void InsertAttempt(SqliteConnection connection, SqliteTransaction transaction, WebhookAttempt a)
    {
        // An attempt id already logged (a retried completion) is kept as it was.
        var command = connection.Statement(
            $"""
            INSERT INTO attempts ({AttemptColumns})
            VALUES ($id, $delivery, $message, $subscription, $tenant, $number, $url, $startedAt, $durationUs, $succeeded, $error, $errorMessage, $statusCode, $headers, $excerpt, $remote)
            ON CONFLICT (id) DO NOTHING
            """,
            transaction);
        command.With("$id", a.Id)
            .With("$delivery", a.DeliveryId)
            .With("$message", a.MessageId)
            .With("$subscription", a.SubscriptionId)
            .With("$tenant", a.TenantId)
            .With("$number", a.AttemptNumber)
            .With("$url", a.Url)
            .With("$startedAt", a.StartedAt)
            .With("$durationUs", a.Duration.Ticks / TimeSpan.TicksPerMicrosecond)
            .With("$succeeded", a.Succeeded)
            .With("$error", (int)a.Error)
            .With("$errorMessage", a.ErrorMessage)
            .With("$statusCode", a.StatusCode)
            .With("$headers", SqliteJsonContext.Serialize(a.ResponseHeaders))
            .With("$excerpt", a.ResponseExcerpt)
            .With("$remote", a.RemoteAddress)
            .ExecuteNonQuery();
    }

    private static WebhookAttempt ReadAttempt(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        DeliveryId = r.GetString(1),
        MessageId = r.GetString(2),
        SubscriptionId = r.GetString(3),
        TenantId = r.GetStringOrNull(4),
        AttemptNumber = r.GetInt32(5),
        Url = r.GetString(6),
        StartedAt = r.GetTime(7),
        Duration = TimeSpan.FromTicks(r.GetInt64(8) * TimeSpan.TicksPerMicrosecond),
        Succeeded = r.GetBoolean(9),
        Error = (WebhookAttemptError)r.GetInt32(10),
        ErrorMessage = r.GetStringOrNull(11),
        StatusCode = r.GetInt32OrNull(12),
        ResponseHeaders = SqliteJsonContext.ReadMap(r.GetString(13)),
        ResponseExcerpt = r.GetStringOrNull(14),
        RemoteAddress = r.GetStringOrNull(15),
    };
}
