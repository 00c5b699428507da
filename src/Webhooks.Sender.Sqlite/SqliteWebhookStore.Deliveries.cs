using Microsoft.Data.Sqlite;
using Webhooks.Core;
using Webhooks.Sender.Sqlite.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Sqlite;

public sealed partial class SqliteWebhookStore
{
    private const string DeliveryColumns =
        "id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, last_attempt_at, last_status_code, failure_reason, lease_id, lease_owner, lease_expires_at, created_at, completed_at";

    private const string InsertDeliveryColumns = "id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, created_at";

    private const int RecoverBatchSize = 500;

    /// <summary>
    /// Picks the due deliveries to claim: first attempts before retries, each group in due order, then by id. Each
    /// group is a range scan of its partial index that stops after <c>$n</c> rows, and the outer sort sees at most 2n
    /// rows, so the cost does not depend on the backlog. <c>EXPLAIN QUERY PLAN</c> (SQLite 3.46, checked by
    /// <c>SqliteWebhookStoreTests.Claim_WithALargeBacklog_UsesTheDueIndexes</c>):
    /// <code>
    /// CO-ROUTINE (subquery-6)
    ///   COMPOUND QUERY
    ///     LEFT-MOST SUBQUERY
    ///       CO-ROUTINE (subquery-2)
    ///         SEARCH deliveries USING INDEX ix_deliveries_due_first (due_at&gt;? AND due_at&lt;?)
    ///         LIST SUBQUERY 1 / SCAN json_each VIRTUAL TABLE INDEX 1:
    ///       SCAN (subquery-2)
    ///     UNION ALL
    ///       CO-ROUTINE (subquery-5)
    ///         SEARCH deliveries USING INDEX ix_deliveries_due_retry (due_at&gt;? AND due_at&lt;?)
    ///         LIST SUBQUERY 4 / SCAN json_each VIRTUAL TABLE INDEX 1:
    ///       SCAN (subquery-5)
    /// SCAN (subquery-6)
    /// USE TEMP B-TREE FOR ORDER BY
    /// </code>
    /// Deliveries of excluded subscriptions are skipped while scanning, so a long due backlog of a saturated endpoint
    /// is read past on every claim until the endpoint frees up.
    /// </summary>
    internal const string ClaimPickSql =
        """
        SELECT id FROM (
            SELECT id, grp, due_at FROM (
                SELECT id, 0 AS grp, due_at FROM deliveries
                WHERE due_at IS NOT NULL AND attempt_count = 0 AND due_at <= $now
                  AND subscription_id NOT IN (SELECT value FROM json_each($excluded))
                ORDER BY due_at, id LIMIT $n)
            UNION ALL
            SELECT id, grp, due_at FROM (
                SELECT id, 1 AS grp, due_at FROM deliveries
                WHERE due_at IS NOT NULL AND attempt_count > 0 AND due_at <= $now
                  AND subscription_id NOT IN (SELECT value FROM json_each($excluded))
                ORDER BY due_at, id LIMIT $n))
        ORDER BY grp, due_at, id LIMIT $n
        """;

    private const string ResetDeliverySet =
        "status = 0, attempt_count = 0, next_attempt_at = $now, failure_reason = NULL, completed_at = NULL, lease_id = NULL, lease_owner = NULL, lease_expires_at = NULL";

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookDeliveryClaim>> ClaimAsync(WebhookClaimRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.MaxCount);
        var excluded = request.ExcludedSubscriptionIds.Count == 0 ? null : SqliteJsonContext.Serialize(request.ExcludedSubscriptionIds);
        return WriteAsync((request, excluded, now: _time.GetUtcNow()), static (connection, transaction, state) =>
        {
            var ids = new List<string>(Math.Min(state.request.MaxCount, 256));
            var pick = connection.Statement(ClaimPickSql, transaction).With("$now", state.now).With("$excluded", state.excluded).With("$n", state.request.MaxCount);
            using (var reader = pick.ExecuteReader())
            {
                while (reader.Read())
                {
                    ids.Add(reader.GetString(0));
                }
            }

            if (ids.Count == 0)
            {
                return (IReadOnlyList<WebhookDeliveryClaim>)[];
            }

            var idsJson = SqliteJsonContext.Serialize(ids);
            var claimed = new Dictionary<string, WebhookDelivery>(ids.Count, StringComparer.Ordinal);
            var update = connection.Statement(
                $"""
                UPDATE deliveries SET status = 1, lease_id = lower(hex(randomblob(16))), lease_owner = $owner, lease_expires_at = $expires
                WHERE id IN (SELECT value FROM json_each($ids))
                RETURNING {DeliveryColumns}
                """,
                transaction);
            update.With("$owner", state.request.LeaseOwner).With("$expires", state.now + state.request.LeaseDuration).With("$ids", idsJson);
            using (var reader = update.ExecuteReader())
            {
                while (reader.Read())
                {
                    var d = ReadDelivery(reader);
                    claimed[d.Id] = d;
                }
            }

            var messageIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var d in claimed.Values)
            {
                messageIds.Add(d.MessageId);
            }

            var messages = new Dictionary<string, WebhookMessage>(messageIds.Count, StringComparer.Ordinal);
            var select = connection.Statement($"SELECT {MessageColumns} FROM messages WHERE id IN (SELECT value FROM json_each($ids))", transaction)
                .With("$ids", SqliteJsonContext.Serialize(messageIds));
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    var m = ReadMessage(reader);
                    messages[m.Id] = m;
                }
            }

            var claims = new List<WebhookDeliveryClaim>(ids.Count);
            foreach (var id in ids)
            {
                var d = claimed[id];
                claims.Add(new WebhookDeliveryClaim(d, messages[d.MessageId]));
            }

            return (IReadOnlyList<WebhookDeliveryClaim>)claims;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<WebhookCompletionResult> CompleteAsync(WebhookDeliveryCompletion completion, CancellationToken cancellationToken = default)
    {
        WebhookDeliveryCompletion.ThrowIfInvalid(completion, nameof(completion));
        return WriteAsync((completion, now: _time.GetUtcNow()), static (connection, transaction, state) =>
            Complete(connection, transaction, state.completion, state.now), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookCompletionResult>> CompleteManyAsync(IReadOnlyList<WebhookDeliveryCompletion> completions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        foreach (var completion in completions)
        {
            WebhookDeliveryCompletion.ThrowIfInvalid(completion, nameof(completions));
        }

        if (completions.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<WebhookCompletionResult>>([]);
        }

        // One transaction, so one commit (and one write of the touched pages to the WAL) for the whole batch. Each
        // completion runs after the previous one in it, so a delivery that appears twice sees its first completion.
        return WriteAsync((completions, now: _time.GetUtcNow()), static (connection, transaction, state) =>
        {
            var results = new WebhookCompletionResult[state.completions.Count];
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = Complete(connection, transaction, state.completions[i], state.now);
            }

            return (IReadOnlyList<WebhookCompletionResult>)results;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ReleaseAsync(string deliveryId, string leaseId, DateTimeOffset? nextAttemptAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        ArgumentNullException.ThrowIfNull(leaseId);
        return WriteAsync((deliveryId, leaseId, nextAttemptAt), static (connection, transaction, state) =>
        {
            var command = connection.Statement(
                "UPDATE deliveries SET status = 0, next_attempt_at = ifnull($next, next_attempt_at), lease_expires_at = NULL WHERE id = $id AND lease_id = $lease AND status = 1",
                transaction);
            command.With("$id", state.deliveryId).With("$lease", state.leaseId).With("$next", state.nextAttemptAt);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetNextDueTimeAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(0, static (connection, _) =>
        {
            // Two index seeks: the first row of each due index (aggregate min() skips a group's NULL).
            using var command = connection.Command(
                """
                SELECT min(due) FROM (
                    SELECT min(due_at) AS due FROM deliveries WHERE due_at IS NOT NULL AND attempt_count = 0
                    UNION ALL
                    SELECT min(due_at) FROM deliveries WHERE due_at IS NOT NULL AND attempt_count > 0)
                """);
            return command.ExecuteScalar() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<long> CountUnfinishedAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(0, static (connection, _) =>
        {
            using var command = connection.Command("SELECT count(*) FROM deliveries WHERE status IN (0, 1)");
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default) =>
        GetByIdAsync("deliveries", DeliveryColumns, deliveryId, ReadDelivery, cancellationToken);

    /// <inheritdoc />
    public Task<WebhookPage<WebhookDelivery>> ListDeliveriesAsync(WebhookDeliveryQuery query, CancellationToken cancellationToken = default) =>
        ListAsync(query, "deliveries", DeliveryColumns, static (where, q) =>
        {
            where.Add(q.SubscriptionId, "subscription_id = $subscription", "$subscription");
            where.Add(q.MessageId, "message_id = $message", "$message");
            where.Add(q.Status, "status = $status", "$status");
            where.Add(q.TenantId, "tenant_id = $tenant", "$tenant");
            where.Add(q.Since, "created_at >= $since", "$since");
            where.Add(q.Until, "created_at < $until", "$until");
        }, ReadDelivery, static d => d.Id, cancellationToken);

    /// <inheritdoc />
    public Task<WebhookPage<WebhookAttempt>> ListAttemptsAsync(WebhookAttemptQuery query, CancellationToken cancellationToken = default) =>
        ListAsync(query, "attempts", AttemptColumns, static (where, q) =>
        {
            where.Add(q.DeliveryId, "delivery_id = $delivery", "$delivery");
            where.Add(q.MessageId, "message_id = $message", "$message");
            where.Add(q.SubscriptionId, "subscription_id = $subscription", "$subscription");
            where.Add(q.TenantId, "tenant_id = $tenant", "$tenant");
        }, ReadAttempt, static a => a.Id, cancellationToken);

    /// <inheritdoc />
    public Task<WebhookDelivery?> RedeliverAsync(string messageId, string subscriptionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentNullException.ThrowIfNull(subscriptionId);
        return WriteAsync((messageId, subscriptionId, time: _time), static (connection, transaction, state) =>
        {
            string? tenantId;
            string eventType;
            using (var message = connection.Command("SELECT tenant_id, event_type FROM messages WHERE id = $id", transaction).With("$id", state.messageId))
            {
                using var reader = message.ExecuteReader();
                if (!reader.Read())
                {
                    return null;
                }

                tenantId = reader.GetStringOrNull(0);
                eventType = reader.GetString(1);
            }

            var now = state.time.GetUtcNow();
            WebhookDelivery? existing;
            using (var find = connection.Command($"SELECT {DeliveryColumns} FROM deliveries WHERE message_id = $message AND subscription_id = $subscription", transaction))
            {
                find.With("$message", state.messageId).With("$subscription", state.subscriptionId);
                using var reader = find.ExecuteReader();
                existing = reader.Read() ? ReadDelivery(reader) : null;
            }

            if (existing is { Status: WebhookDeliveryStatus.Pending or WebhookDeliveryStatus.InFlight })
            {
                return existing;
            }

            using var write = existing is not null
                ? connection.Command($"UPDATE deliveries SET {ResetDeliverySet} WHERE id = $id RETURNING {DeliveryColumns}", transaction).With("$id", existing.Id)
                : connection.Command(
                    $"INSERT INTO deliveries ({InsertDeliveryColumns}) VALUES ($id, $message, $subscription, $tenant, $eventType, 0, 0, $now, $now) RETURNING {DeliveryColumns}",
                    transaction)
                    .With("$id", WebhookId.New(WebhookId.DeliveryPrefix, state.time))
                    .With("$message", state.messageId)
                    .With("$subscription", state.subscriptionId)
                    .With("$tenant", tenantId)
                    .With("$eventType", eventType);
            write.With("$now", now);
            using var result = write.ExecuteReader();
            result.Read();
            return ReadDelivery(result);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int> RecoverAsync(string subscriptionId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);

        // Bounded batches (ix_deliveries_failed_subscription), each its own short transaction, so dispatching goes on
        // between them; recovered rows leave the partial index, so every batch starts at the front.
        var total = 0;
        int count;
        do
        {
            count = await WriteAsync((subscriptionId, since, now: _time.GetUtcNow()), static (connection, transaction, state) =>
            {
                using var command = connection.Command(
                    $"""
                    UPDATE deliveries SET {ResetDeliverySet}
                    WHERE id IN (SELECT id FROM deliveries WHERE subscription_id = $subscription AND status = 3 AND created_at >= $since LIMIT $batch)
                    """,
                    transaction);
                command.With("$subscription", state.subscriptionId).With("$since", state.since).With("$now", state.now).With("$batch", RecoverBatchSize);
                return command.ExecuteNonQuery();
            }, cancellationToken).ConfigureAwait(false);
            total += count;
        }
        while (count == RecoverBatchSize);

        return total;
    }

    /// <summary>
    /// Applies one completion inside the caller's write transaction. The update is guarded by the lease, so the usual
    /// case is one statement (plus the attempt); the row is read only when the guard did not match, to say why.
    /// </summary>
    private static WebhookCompletionResult Complete(SqliteConnection connection, SqliteTransaction transaction, WebhookDeliveryCompletion c, DateTimeOffset now)
    {
        var pending = c.Status == WebhookDeliveryStatus.Pending;
        var update = connection.Statement(
            """
            UPDATE deliveries SET status = $status,
                next_attempt_at = CASE WHEN $pending THEN $next ELSE next_attempt_at END,
                failure_reason = $reason, completed_at = $completedAt, lease_expires_at = NULL,
                attempt_count = attempt_count + $attempted,
                last_attempt_at = CASE WHEN $attempted THEN $lastAttemptAt ELSE last_attempt_at END,
                last_status_code = CASE WHEN $attempted THEN $lastStatusCode ELSE last_status_code END
            WHERE id = $id AND lease_id = $lease AND status = 1
            """,
            transaction);
        update.With("$id", c.DeliveryId)
            .With("$lease", c.LeaseId)
            .With("$status", (int)c.Status)
            .With("$pending", pending)
            .With("$next", pending ? c.NextAttemptAt ?? now : null)
            .With("$reason", c.Status == WebhookDeliveryStatus.Failed ? c.FailureReason : null)
            .With("$completedAt", pending ? null : now)
            .With("$attempted", c.Attempt is null ? 0 : 1)
            .With("$lastAttemptAt", c.Attempt?.StartedAt)
            .With("$lastStatusCode", c.Attempt?.StatusCode);
        if (update.ExecuteNonQuery() == 1)
        {
            if (c.Attempt is { } attempt)
            {
                InsertAttempt(connection, transaction, attempt);
            }

            return WebhookCompletionResult.Completed;
        }

        var check = connection.Statement("SELECT lease_id FROM deliveries WHERE id = $id", transaction).With("$id", c.DeliveryId);
        using var reader = check.ExecuteReader();
        if (!reader.Read())
        {
            return WebhookCompletionResult.NotFound;
        }

        // The guard failed under the presented lease only if the delivery is no longer in flight: completed already.
        return reader.GetStringOrNull(0) == c.LeaseId ? WebhookCompletionResult.AlreadyCompleted : WebhookCompletionResult.LeaseLost;
    }

    private static WebhookDelivery ReadDelivery(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        MessageId = r.GetString(1),
        SubscriptionId = r.GetString(2),
        TenantId = r.GetStringOrNull(3),
        EventType = r.GetString(4),
        Status = (WebhookDeliveryStatus)r.GetInt32(5),
        AttemptCount = r.GetInt32(6),
        NextAttemptAt = r.GetTime(7),
        LastAttemptAt = r.GetTimeOrNull(8),
        LastStatusCode = r.GetInt32OrNull(9),
        FailureReason = r.GetStringOrNull(10),
        LeaseId = r.GetStringOrNull(11),
        LeaseOwner = r.GetStringOrNull(12),
        LeaseExpiresAt = r.GetTimeOrNull(13),
        CreatedAt = r.GetTime(14),
        CompletedAt = r.GetTimeOrNull(15),
    };
}
