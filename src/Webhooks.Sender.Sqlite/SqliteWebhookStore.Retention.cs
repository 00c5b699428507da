using Webhooks.Sender.Sqlite.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Sqlite;

public sealed partial class SqliteWebhookStore
{
    /// <inheritdoc />
    public Task<int> PurgeSucceededAsync(DateTimeOffset succeededBefore, int maxMessages, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessages);
        return WriteAsync((succeededBefore, maxMessages), static (connection, transaction, state) =>
        {
            // Oldest first (ix_messages_created); a message is purged only when no delivery of it is unsucceeded
            // (one probe of ux_deliveries_message_subscription per candidate).
            var ids = new List<string>();
            using (var select = connection.Command(
                """
                SELECT id FROM messages AS m
                WHERE created_at < $before
                  AND NOT EXISTS (SELECT 1 FROM deliveries AS d WHERE d.message_id = m.id AND d.status <> 2)
                ORDER BY created_at LIMIT $max
                """,
                transaction))
            {
                select.With("$before", state.succeededBefore).With("$max", state.maxMessages);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    ids.Add(reader.GetString(0));
                }
            }

            if (ids.Count > 0)
            {
                using var delete = connection.Command(
                    """
                    DELETE FROM attempts WHERE message_id IN (SELECT value FROM json_each($ids));
                    DELETE FROM deliveries WHERE message_id IN (SELECT value FROM json_each($ids));
                    DELETE FROM messages WHERE id IN (SELECT value FROM json_each($ids));
                    """,
                    transaction);
                delete.With("$ids", SqliteJsonContext.Serialize(ids)).ExecuteNonQuery();
            }

            return ids.Count;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PurgeFailedAsync(DateTimeOffset failedBefore, string? subscriptionId, int maxDeliveries, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDeliveries);
        return WriteAsync((failedBefore, subscriptionId, maxDeliveries), static (connection, transaction, state) =>
        {
            var ids = new List<string>();
            var messageIds = new HashSet<string>(StringComparer.Ordinal);
            using (var select = connection.Command(
                state.subscriptionId is null
                    ? "SELECT id, message_id FROM deliveries WHERE status = 3 AND completed_at < $before ORDER BY completed_at LIMIT $max"
                    : "SELECT id, message_id FROM deliveries WHERE status = 3 AND subscription_id = $subscription AND completed_at < $before LIMIT $max",
                transaction))
            {
                select.With("$before", state.failedBefore).With("$subscription", state.subscriptionId).With("$max", state.maxDeliveries);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    ids.Add(reader.GetString(0));
                    messageIds.Add(reader.GetString(1));
                }
            }

            if (ids.Count > 0)
            {
                using var delete = connection.Command(
                    """
                    DELETE FROM attempts WHERE delivery_id IN (SELECT value FROM json_each($ids));
                    DELETE FROM deliveries WHERE id IN (SELECT value FROM json_each($ids));
                    DELETE FROM messages WHERE id IN (SELECT value FROM json_each($messages))
                      AND NOT EXISTS (SELECT 1 FROM deliveries AS d WHERE d.message_id = messages.id);
                    """,
                    transaction);
                delete.With("$ids", SqliteJsonContext.Serialize(ids)).With("$messages", SqliteJsonContext.Serialize(messageIds)).ExecuteNonQuery();
            }

            return ids.Count;
        }, cancellationToken);
    }
}
