using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
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

    /// <summary>The view that reports a delivery with its live state (schema version 3): read deliveries from it.</summary>
    private const string DeliveryRows = "delivery_rows";

    /// <summary>Puts the deliveries <c>$ids</c> (a JSON array) back in the queue, due at <c>$now</c> for a first attempt.</summary>
    private const string RequeueSql =
        """
        INSERT INTO delivery_queue (delivery_id, subscription_id, tenant_id, attempt_count, next_attempt_at, in_flight, last_attempt_at, last_status_code)
            SELECT id, subscription_id, tenant_id, 0, $now, 0, last_attempt_at, last_status_code FROM deliveries WHERE id IN (SELECT value FROM json_each($ids))
        """;

    private const int RecoverBatchSize = 500;

    /// <summary>
    /// Picks the due deliveries to claim from the narrow <c>delivery_queue</c>: first attempts (and retries due at or before <c>$aged</c>) before retries, each
    /// group in due order, then by id, at most the subscription's cap (<c>$caps</c>, else <c>$per</c>) per subscription.
    /// Each group is a range scan of its partial index that stops after <c>$window</c> rows, and the cap, the outer sort
    /// and the window function see at most 2 x <c>$window</c> rows, so the cost does not depend on the backlog.
    /// <c>EXPLAIN QUERY PLAN</c> (SQLite 3.46, checked by <c>SqliteWebhookStoreTests.Claim_WithALargeBacklog_UsesTheDueIndexes</c>):
    /// <code>
    /// CO-ROUTINE c
    ///   CO-ROUTINE (subquery-7)
    ///     COMPOUND QUERY
    ///       LEFT-MOST SUBQUERY
    ///         CO-ROUTINE (subquery-3)
    ///           SEARCH delivery_queue USING INDEX ix_queue_due_first (due_at&lt;?)
    ///           LIST SUBQUERY 2 / SCAN json_each VIRTUAL TABLE INDEX 1:
    ///       UNION ALL
    ///         CO-ROUTINE (subquery-6)
    ///           SEARCH delivery_queue USING INDEX ix_queue_due_retry (due_at&lt;?)
    ///           LIST SUBQUERY 5 / SCAN json_each VIRTUAL TABLE INDEX 1:
    ///   USE TEMP B-TREE FOR ORDER BY (the window's partition)
    /// SCAN c / SCAN k VIRTUAL TABLE INDEX 1: (the caps)
    /// USE TEMP B-TREE FOR ORDER BY
    /// </code>
    /// Deliveries of excluded subscriptions (and of those with no capacity left) are skipped while scanning, so a long due
    /// backlog of a saturated endpoint is read past on every claim until the endpoint frees up.
    /// </summary>
    internal const string ClaimPickSql =
        """
        SELECT c.id FROM (
            SELECT id, subscription_id, grp, due_at, row_number() OVER (PARTITION BY subscription_id ORDER BY grp, due_at, id) AS rank FROM (
                SELECT id, subscription_id, grp, due_at FROM (
                    SELECT delivery_id AS id, subscription_id, 0 AS grp, due_at FROM delivery_queue
                    WHERE attempt_count = 0 AND due_at <= $now
                      AND subscription_id NOT IN (SELECT value FROM json_each($excluded))
                    ORDER BY due_at, delivery_id LIMIT $window)
                UNION ALL
                SELECT id, subscription_id, grp, due_at FROM (
                    SELECT delivery_id AS id, subscription_id, CASE WHEN due_at <= $aged THEN 0 ELSE 1 END AS grp, due_at FROM delivery_queue
                    WHERE attempt_count > 0 AND due_at <= $now
                      AND subscription_id NOT IN (SELECT value FROM json_each($excluded))
                    ORDER BY due_at, delivery_id LIMIT $window))) AS c
        LEFT JOIN json_each($caps) AS k ON k.key = c.subscription_id
        WHERE c.rank <= ifnull(k.value, $per)
        ORDER BY c.grp, c.due_at, c.id LIMIT $n
        """;

    private const string ResetDeliverySet =
        "status = 0, attempt_count = 0, next_attempt_at = $now, failure_reason = NULL, completed_at = NULL, lease_id = NULL, lease_owner = NULL, lease_expires_at = NULL";

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookDeliveryClaim>> ClaimAsync(WebhookClaimRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.MaxCount);
        var now = _time.GetUtcNow();
        var caps = ClaimCaps.Of(request);
        var pickParameters = new ClaimPick(
            now,
            request.RetryAgingThreshold is { } aging ? now - aging : null,
            caps.Excluded.Count == 0 ? null : SqliteJsonContext.Serialize(caps.Excluded),
            caps.Capacities.Count == 0 ? null : SqliteJsonContext.Serialize(caps.Capacities),
            caps.PerSubscription,
            caps.Window,
            request.MaxCount);
        return WriteAsync((request, pick: pickParameters, now), static (connection, transaction, state) =>
        {
            var ids = new List<string>(Math.Min(state.request.MaxCount, 256));
            var pick = state.pick.Bind(connection.Statement(ClaimPickSql, transaction));
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
            // Only the narrow queue rows change; the wide rows are read (by primary key) for what the claim returns.
            connection.Statement(
                """
                UPDATE delivery_queue SET in_flight = 1, lease_id = lower(hex(randomblob(16))), lease_owner = $owner, lease_expires_at = $expires
                WHERE delivery_id IN (SELECT value FROM json_each($ids))
                """,
                transaction)
                .With("$owner", state.request.LeaseOwner).With("$expires", state.now + state.request.LeaseDuration).With("$ids", idsJson)
                .ExecuteNonQuery();
            var read = connection.Statement($"SELECT {DeliveryColumns} FROM {DeliveryRows} WHERE id IN (SELECT value FROM json_each($ids))", transaction)
                .With("$ids", idsJson);
            using (var reader = read.ExecuteReader())
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
        return WriteAsync((completion, now: _time.GetUtcNow(), logger: _logger), static (connection, transaction, state) =>
            Complete(connection, transaction, state.completion, state.now, state.logger), cancellationToken);
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
        return WriteAsync((completions, now: _time.GetUtcNow(), logger: _logger), static (connection, transaction, state) =>
        {
            var results = new WebhookCompletionResult[state.completions.Count];
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = Complete(connection, transaction, state.completions[i], state.now, state.logger);
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
            Release(connection, transaction, state.deliveryId, state.leaseId, state.nextAttemptAt), cancellationToken);
    }

    private static bool Release(SqliteConnection connection, SqliteTransaction transaction, string deliveryId, string leaseId, DateTimeOffset? nextAttemptAt)
    {
        var command = connection.Statement(
            "UPDATE delivery_queue SET in_flight = 0, next_attempt_at = ifnull($next, next_attempt_at), lease_expires_at = NULL WHERE delivery_id = $id AND lease_id = $lease AND in_flight = 1",
            transaction);
        command.With("$id", deliveryId).With("$lease", leaseId).With("$next", nextAttemptAt);
        return command.ExecuteNonQuery() == 1;
    }

    /// <inheritdoc />
    public Task<int> ReleaseManyAsync(IReadOnlyList<WebhookDeliveryRelease> releases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(releases);
        foreach (var release in releases)
        {
            ArgumentNullException.ThrowIfNull(release.DeliveryId, nameof(releases));
            ArgumentNullException.ThrowIfNull(release.LeaseId, nameof(releases));
        }

        if (releases.Count == 0)
        {
            return Task.FromResult(0);
        }

        // One transaction (one commit) for all of them, the prepared statement run once per release.
        return WriteAsync(releases, static (connection, transaction, releases) =>
        {
            var released = 0;
            foreach (var release in releases)
            {
                released += Release(connection, transaction, release.DeliveryId, release.LeaseId, release.NextAttemptAt) ? 1 : 0;
            }

            return released;
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
                    SELECT min(due_at) AS due FROM delivery_queue WHERE attempt_count = 0
                    UNION ALL
                    SELECT min(due_at) FROM delivery_queue WHERE attempt_count > 0)
                """);
            return command.ExecuteScalar() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<long> CountUnfinishedAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(0, static (connection, _) =>
        {
            // Counted on the two narrow due indexes (together they cover every queued row), not the wider table rows.
            using var command = connection.Command(
                "SELECT (SELECT count(*) FROM delivery_queue WHERE attempt_count = 0) + (SELECT count(*) FROM delivery_queue WHERE attempt_count > 0)");
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default) =>
        GetByIdAsync(DeliveryRows, DeliveryColumns, deliveryId, ReadDelivery, cancellationToken);

    /// <inheritdoc />
    public Task<WebhookPage<WebhookDelivery>> ListDeliveriesAsync(WebhookDeliveryQuery query, CancellationToken cancellationToken = default) =>
        ListAsync(query, DeliveryRows, DeliveryColumns, static (where, q) =>
        {
            where.Add(q.SubscriptionId, "subscription_id = $subscription", "$subscription");
            where.Add(q.MessageId, "message_id = $message", "$message");

            // The wide row's status narrows the walk on its index (0 stands for both pending and in flight).
            where.Add(q.Status, "row_status = (CASE WHEN $status IN (0, 1) THEN 0 ELSE $status END) AND status = $status", "$status");
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
            using (var find = connection.Command($"SELECT {DeliveryColumns} FROM {DeliveryRows} WHERE message_id = $message AND subscription_id = $subscription", transaction))
            {
                find.With("$message", state.messageId).With("$subscription", state.subscriptionId);
                using var reader = find.ExecuteReader();
                existing = reader.Read() ? ReadDelivery(reader) : null;
            }

            if (existing is { Status: WebhookDeliveryStatus.Pending or WebhookDeliveryStatus.InFlight })
            {
                return existing;
            }

            var id = existing?.Id ?? WebhookId.New(WebhookId.DeliveryPrefix, state.time);
            using (var write = existing is not null
                ? connection.Command($"UPDATE deliveries SET {ResetDeliverySet} WHERE id = $id", transaction).With("$id", id)
                : connection.Command(
                    $"INSERT INTO deliveries ({InsertDeliveryColumns}) VALUES ($id, $message, $subscription, $tenant, $eventType, 0, 0, $now, $now)",
                    transaction)
                    .With("$id", id)
                    .With("$message", state.messageId)
                    .With("$subscription", state.subscriptionId)
                    .With("$tenant", tenantId)
                    .With("$eventType", eventType))
            {
                write.With("$now", now).ExecuteNonQuery();
            }

            using (var queue = connection.Command(RequeueSql, transaction))
            {
                queue.With("$ids", SqliteJsonContext.Serialize(new[] { id })).With("$now", now).ExecuteNonQuery();
            }

            using var read = connection.Command($"SELECT {DeliveryColumns} FROM {DeliveryRows} WHERE id = $id", transaction).With("$id", id);
            using var result = read.ExecuteReader();
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
                var ids = new List<string>(RecoverBatchSize);
                using (var pick = connection.Command(
                    "SELECT id FROM deliveries WHERE subscription_id = $subscription AND status = 3 AND created_at >= $since LIMIT $batch", transaction))
                {
                    pick.With("$subscription", state.subscriptionId).With("$since", state.since).With("$batch", RecoverBatchSize);
                    using var reader = pick.ExecuteReader();
                    while (reader.Read())
                    {
                        ids.Add(reader.GetString(0));
                    }
                }

                if (ids.Count == 0)
                {
                    return 0;
                }

                using var command = connection.Command(
                    $"UPDATE deliveries SET {ResetDeliverySet} WHERE id IN (SELECT value FROM json_each($ids));\n{RequeueSql};",
                    transaction);
                command.With("$ids", SqliteJsonContext.Serialize(ids)).With("$now", state.now);
                command.ExecuteNonQuery();
                return ids.Count;
            }, cancellationToken).ConfigureAwait(false);
            total += count;
        }
        while (count == RecoverBatchSize);

        return total;
    }

    /// <summary>
    /// Applies one completion inside the caller's write transaction, made storable first (<see cref="StorableText"/>).
    /// The update is guarded by the lease, so the usual case is one statement (plus the attempt); the row is read only
    /// when the guard did not match, to say why. When SQLite still refuses a statement for its data (too big, a type
    /// mismatch, a constraint), which no retry would change, that statement changed nothing (SQLite undoes a failed
    /// statement and the transaction goes on), and it runs again without what came from the endpoint, with a note: an
    /// endpoint's answer must never keep its outcome from being recorded.
    /// </summary>
    private static WebhookCompletionResult Complete(SqliteConnection connection, SqliteTransaction transaction, WebhookDeliveryCompletion c, DateTimeOffset now, ILogger logger)
    {
        c = StorableText.Sanitize(c);
        bool updated;
        try
        {
            updated = UpdateCompleted(connection, transaction, c, now);
        }
        catch (SqliteException ex) when (IsRefusedData(ex))
        {
            Log.OutcomeDataRefused(logger, ex, c.DeliveryId, ex.SqliteErrorCode);
            c = StorableText.WithoutResponseData(c, "SQLite error " + ex.SqliteErrorCode.ToString(CultureInfo.InvariantCulture));
            updated = UpdateCompleted(connection, transaction, c, now);
        }

        if (updated)
        {
            if (c.Attempt is { } attempt)
            {
                try
                {
                    InsertAttempt(connection, transaction, attempt);
                }
                catch (SqliteException ex) when (IsRefusedData(ex))
                {
                    Log.OutcomeDataRefused(logger, ex, c.DeliveryId, ex.SqliteErrorCode);
                    InsertAttempt(connection, transaction, StorableText.WithoutResponseData(c, "SQLite error " + ex.SqliteErrorCode.ToString(CultureInfo.InvariantCulture)).Attempt!);
                }
            }

            return WebhookCompletionResult.Completed;
        }

        var check = connection.Statement($"SELECT lease_id FROM {DeliveryRows} WHERE id = $id", transaction).With("$id", c.DeliveryId);
        using var reader = check.ExecuteReader();
        if (!reader.Read())
        {
            return WebhookCompletionResult.NotFound;
        }

        // The guard failed under the presented lease only if the delivery is no longer in flight: completed already.
        return reader.GetStringOrNull(0) == c.LeaseId ? WebhookCompletionResult.AlreadyCompleted : WebhookCompletionResult.LeaseLost;
    }

    // Errors that come from the data itself: SQLITE_TOOBIG, SQLITE_CONSTRAINT (a CHECK or a trigger), SQLITE_MISMATCH.
    private static bool IsRefusedData(SqliteException ex) => ex.SqliteErrorCode is 18 or 19 or 20;

    /// <summary>
    /// The lease-guarded update of the delivery; <see langword="true"/> when it matched. A retry changes only its narrow
    /// queue row; a final outcome writes the wide row once (with the attempt state copied from the queue row, in the
    /// same statement that checks the lease) and then deletes the queue row. A statement SQLite refuses changes nothing,
    /// so the caller can run this again.
    /// </summary>
    private static bool UpdateCompleted(SqliteConnection connection, SqliteTransaction transaction, WebhookDeliveryCompletion c, DateTimeOffset now)
    {
        if (c.Status == WebhookDeliveryStatus.Pending)
        {
            var retry = connection.Statement(
                """
                UPDATE delivery_queue SET in_flight = 0, next_attempt_at = $next, lease_expires_at = NULL,
                    attempt_count = attempt_count + $attempted,
                    last_attempt_at = CASE WHEN $attempted THEN $lastAttemptAt ELSE last_attempt_at END,
                    last_status_code = CASE WHEN $attempted THEN $lastStatusCode ELSE last_status_code END
                WHERE delivery_id = $id AND lease_id = $lease AND in_flight = 1
                """,
                transaction);
            retry.With("$id", c.DeliveryId)
                .With("$lease", c.LeaseId)
                .With("$next", c.NextAttemptAt ?? now)
                .With("$attempted", c.Attempt is null ? 0 : 1)
                .With("$lastAttemptAt", c.Attempt?.StartedAt)
                .With("$lastStatusCode", c.Attempt?.StatusCode);
            return retry.ExecuteNonQuery() == 1;
        }

        var finish = connection.Statement(
            """
            UPDATE deliveries SET status = $status, attempt_count = q.attempt_count + $attempted, next_attempt_at = q.next_attempt_at,
                last_attempt_at = CASE WHEN $attempted THEN $lastAttemptAt ELSE q.last_attempt_at END,
                last_status_code = CASE WHEN $attempted THEN $lastStatusCode ELSE q.last_status_code END,
                failure_reason = $reason, completed_at = $completedAt,
                lease_id = q.lease_id, lease_owner = q.lease_owner, lease_expires_at = NULL
            FROM delivery_queue AS q
            WHERE deliveries.id = $id AND q.delivery_id = $id AND q.lease_id = $lease AND q.in_flight = 1
            """,
            transaction);
        finish.With("$id", c.DeliveryId)
            .With("$lease", c.LeaseId)
            .With("$status", (int)c.Status)
            .With("$reason", c.Status == WebhookDeliveryStatus.Failed ? c.FailureReason : null)
            .With("$completedAt", now)
            .With("$attempted", c.Attempt is null ? 0 : 1)
            .With("$lastAttemptAt", c.Attempt?.StartedAt)
            .With("$lastStatusCode", c.Attempt?.StatusCode);
        if (finish.ExecuteNonQuery() != 1)
        {
            return false;
        }

        connection.Statement("DELETE FROM delivery_queue WHERE delivery_id = $id", transaction).With("$id", c.DeliveryId).ExecuteNonQuery();
        return true;
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

    /// <summary>The parameters of <see cref="ClaimPickSql"/>.</summary>
    private sealed record ClaimPick(DateTimeOffset Now, DateTimeOffset? Aged, string? Excluded, string? Capacities, int PerSubscription, int Window, int Count)
    {
        public SqliteCommand Bind(SqliteCommand command) => command
            .With("$now", Now).With("$aged", Aged).With("$excluded", Excluded).With("$caps", Capacities)
            .With("$per", PerSubscription).With("$window", Window).With("$n", Count);
    }
}
