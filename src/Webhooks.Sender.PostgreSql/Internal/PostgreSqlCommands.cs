namespace Webhooks.Sender.PostgreSql.Internal;

/// <summary>The store's SQL, with the schema name filled in once.</summary>
internal sealed class PostgreSqlCommands
{
    /// <summary>Prices sequential scans out until the end of the transaction (a batch is one), like SET LOCAL without its warning outside a transaction block.</summary>
    public const string SeqScanOff = "SELECT set_config('enable_seqscan', 'off', true)";

    public const string SubscriptionColumns = "id, tenant_id, url, event_types, secrets, enabled, disabled_reason, description, metadata, headers, rate_limit_per_second, created_at, updated_at";
    public const string MessageColumns = "id, tenant_id, event_type, payload, idempotency_key, trace_parent, trace_state, created_at";
    public const string DeliveryColumns = "id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, last_attempt_at, last_status_code, failure_reason, lease_id, lease_owner, lease_expires_at, created_at, completed_at";
    public const string AttemptColumns = "id, delivery_id, message_id, subscription_id, tenant_id, attempt_number, url, started_at, duration, succeeded, error, error_message, status_code, response_headers, response_excerpt, remote_address";

    // The attempt fields of a completion (parameters, or columns of an unnested batch), and their order as AttemptColumns.
    private const string AttemptFields = "a_id, a_message, a_subscription, a_tenant, a_number, a_url, a_started, a_duration, a_succeeded, a_error, a_error_message, a_status_code, a_headers, a_excerpt, a_remote";
    private const string CompletedAttempt = "a_id, id, a_message, a_subscription, a_tenant, a_number, a_url, a_started, a_duration, a_succeeded, a_error, a_error_message, a_status_code, a_headers, a_excerpt, a_remote";

    // A finished delivery scheduled again from scratch (its queue row is inserted by the same statement).
    private const string ResetDelivery = "status = 0, attempt_count = 0, next_attempt_at = @now, failure_reason = NULL, completed_at = NULL, failed_at = NULL, lease_id = NULL, lease_owner = NULL, lease_expires_at = NULL";

    // The queue row of a delivery that is due from @now as a first attempt, from the delivery rows in CTE u.
    private const string QueueFresh = "(delivery_id, subscription_id, tenant_id, status, attempt_count, next_attempt_at) SELECT id, subscription_id, tenant_id, 0, 0, @now FROM u";

    public PostgreSqlCommands(string schema)
    {
        Subscriptions = schema + ".subscriptions";
        Messages = schema + ".messages";
        Deliveries = schema + ".deliveries";
        Queue = schema + ".delivery_queue";
        DeliveryState = schema + ".delivery_state";
        Attempts = schema + ".attempts";

        InsertSubscription = $"INSERT INTO {Subscriptions} ({SubscriptionColumns}) VALUES (@id, @tenant, @url, @event_types, @secrets, @enabled, @disabled_reason, @description, @metadata, @headers, @rate, @created, @updated)";
        UpdateSubscription = $"UPDATE {Subscriptions} SET tenant_id = @tenant, url = @url, event_types = @event_types, secrets = @secrets, enabled = @enabled, disabled_reason = @disabled_reason, description = @description, metadata = @metadata, headers = @headers, rate_limit_per_second = @rate, created_at = @created, updated_at = @updated WHERE id = @id";
        GetSubscription = $"SELECT {SubscriptionColumns} FROM {Subscriptions} WHERE id = @id";
        DeleteSubscription = $"DELETE FROM {Subscriptions} WHERE id = @id";
        FindSubscriptionsOfTenant = $"SELECT {SubscriptionColumns} FROM {Subscriptions} WHERE enabled AND tenant_id = @tenant ORDER BY id";
        FindSubscriptionsWithoutTenant = $"SELECT {SubscriptionColumns} FROM {Subscriptions} WHERE enabled AND tenant_id IS NULL ORDER BY id";

        // One statement for a batch of messages: the messages (each unless its idempotency key was seen, in the batch
        // or before), the deliveries of those inserted with their queue rows, and one notification that other
        // instances receive when the transaction commits. Returns the ids of the messages inserted.
        Enqueue = $"""
            WITH m AS (
                INSERT INTO {Messages} ({MessageColumns})
                SELECT id, tenant_id, event_type, payload, idempotency_key, trace_parent, trace_state, created_at
                FROM unnest(@m_id, @m_tenant, @m_event_type, @m_payload, @m_key, @m_trace_parent, @m_trace_state, @m_created) WITH ORDINALITY
                    AS i(id, tenant_id, event_type, payload, idempotency_key, trace_parent, trace_state, created_at, ord)
                ORDER BY ord
                ON CONFLICT ((coalesce(tenant_id, '')), idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING id),
            u AS (
                SELECT u.* FROM unnest(@d_id, @d_message, @d_subscription, @d_tenant, @d_event_type, @d_due, @d_created)
                    AS u(id, message_id, subscription_id, tenant_id, event_type, next_attempt_at, created_at)
                WHERE u.message_id IN (SELECT id FROM m)),
            d AS (
                INSERT INTO {Deliveries} (id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, created_at)
                SELECT id, message_id, subscription_id, tenant_id, event_type, 0, 0, next_attempt_at, created_at FROM u),
            q AS (
                INSERT INTO {Queue} (delivery_id, subscription_id, tenant_id, status, attempt_count, next_attempt_at)
                SELECT id, subscription_id, tenant_id, 0, 0, next_attempt_at FROM u
                RETURNING 1),
            n AS (SELECT pg_notify(@channel, @schema) FROM (SELECT 1 FROM q LIMIT 1) one)
            SELECT id, (SELECT count(*) FROM n) FROM m
            """;
        FindIdempotent = $"SELECT id FROM {Messages} WHERE coalesce(tenant_id, '') = coalesce(@tenant, '') AND idempotency_key = @key";
        GetMessage = $"SELECT {MessageColumns} FROM {Messages} WHERE id = @id";
        const string QueueDelivery = "d.id, d.message_id, d.subscription_id, d.tenant_id, d.event_type, 1::smallint, u.attempt_count, u.next_attempt_at, d.last_attempt_at, d.last_status_code, d.failure_reason, u.lease_id, u.lease_owner, u.lease_expires_at, d.created_at, d.completed_at";

        // Three bounded, index-ordered selections of due rows (first attempts, retries, expired leases), each locked
        // with SKIP LOCKED so concurrent claimers take disjoint rows. A retry (or an expired lease of one) due at or
        // before @aged ranks with first attempts. The per-subscription cap (the subscription's entry in @cap_ids/@caps,
        // else @per) is applied over these at most 3 x @window candidates, and the first @n in claim order get a fresh
        // lease; the candidates left out stay as they were (their row locks end with the statement).
        Claim = $"""
            WITH first_attempts AS (
                SELECT delivery_id AS id, subscription_id, 0 AS grp, next_attempt_at AS due FROM {Queue}
                WHERE status = 0 AND attempt_count = 0 AND next_attempt_at <= @now AND NOT (subscription_id = ANY(@excluded))
                ORDER BY next_attempt_at, delivery_id LIMIT @window FOR UPDATE SKIP LOCKED),
            retries AS (
                SELECT delivery_id AS id, subscription_id, CASE WHEN next_attempt_at <= @aged THEN 0 ELSE 1 END AS grp, next_attempt_at AS due FROM {Queue}
                WHERE status = 0 AND attempt_count > 0 AND next_attempt_at <= @now AND NOT (subscription_id = ANY(@excluded))
                ORDER BY next_attempt_at, delivery_id LIMIT @window FOR UPDATE SKIP LOCKED),
            expired AS (
                SELECT delivery_id AS id, subscription_id, CASE WHEN attempt_count = 0 OR lease_expires_at <= @aged THEN 0 ELSE 1 END AS grp, lease_expires_at AS due FROM {Queue}
                WHERE status = 1 AND lease_expires_at <= @now AND NOT (subscription_id = ANY(@excluded))
                ORDER BY lease_expires_at, delivery_id LIMIT @window FOR UPDATE SKIP LOCKED),
            candidates AS (
                SELECT a.*, row_number() OVER (PARTITION BY a.subscription_id ORDER BY a.grp, a.due, a.id) AS rank
                FROM (SELECT * FROM first_attempts UNION ALL SELECT * FROM retries UNION ALL SELECT * FROM expired) a),
            c AS (
                SELECT candidates.id, candidates.grp, candidates.due FROM candidates
                LEFT JOIN unnest(@cap_ids, @caps) AS k(subscription_id, cap) ON k.subscription_id = candidates.subscription_id
                WHERE candidates.rank <= coalesce(k.cap, @per)
                ORDER BY candidates.grp, candidates.due, candidates.id LIMIT @n),
            u AS (
                UPDATE {Queue} q
                SET status = 1, lease_id = replace(gen_random_uuid()::text, '-', ''), lease_owner = @owner, lease_expires_at = @expires
                FROM c WHERE q.delivery_id = c.id
                RETURNING q.delivery_id, q.attempt_count, q.next_attempt_at, q.lease_id, q.lease_owner, q.lease_expires_at, c.grp, c.due)
            SELECT {QueueDelivery}, u.grp, u.due, {Prefix("m.", MessageColumns)}
            FROM u JOIN {Deliveries} d ON d.id = u.delivery_id JOIN {Messages} m ON m.id = d.message_id
            ORDER BY u.grp, u.due, u.delivery_id
            """;

        // Completions, each under the lease it presents: one completion from parameters, or several of distinct
        // deliveries unnested in their order (ord), in one statement. The queue row is updated (a retry) or deleted
        // (succeeded or failed) under the lease; then the delivery row, in place, and the attempt. The snapshot
        // columns say why a delivery did not change.
        Complete = CompleteStatement($"SELECT {Aliased("id, lease, status, next, reason, has_attempt, " + AttemptFields)}, 1 AS ord");
        CompleteMany = CompleteStatement($"""
            SELECT * FROM unnest(@id, @lease, @status, @next, @reason, @has_attempt, {Prefix("@", AttemptFields)})
                WITH ORDINALITY AS c(id, lease, status, next, reason, has_attempt, {AttemptFields}, ord)
            """);

        Release = $"""
            WITH u AS (
                UPDATE {Queue} SET status = 0, next_attempt_at = coalesce(@next, next_attempt_at), lease_expires_at = NULL
                WHERE delivery_id = @id AND lease_id = @lease AND status = 1 RETURNING 1)
            SELECT count(*) FROM (SELECT pg_notify(@channel, @schema) FROM u) n
            """;

        // Several releases in one statement, and one notification however many were released.
        ReleaseMany = $"""
            WITH r AS (SELECT * FROM unnest(@id, @lease, @next) AS r(id, lease, next)),
            u AS (
                UPDATE {Queue} q SET status = 0, next_attempt_at = coalesce(r.next, q.next_attempt_at), lease_expires_at = NULL
                FROM r WHERE q.delivery_id = r.id AND q.lease_id = r.lease AND q.status = 1 RETURNING 1),
            n AS (SELECT count(*) AS released FROM u)
            SELECT released, CASE WHEN released > 0 THEN pg_notify(@channel, @schema)::text END FROM n
            """;

        NextDueTime = $"""
            SELECT LEAST(
                (SELECT next_attempt_at FROM {Queue} WHERE status = 0 AND attempt_count = 0 ORDER BY next_attempt_at LIMIT 1),
                (SELECT next_attempt_at FROM {Queue} WHERE status = 0 AND attempt_count > 0 ORDER BY next_attempt_at LIMIT 1),
                (SELECT lease_expires_at FROM {Queue} WHERE status = 1 ORDER BY lease_expires_at LIMIT 1))
            """;
        // One count per partial index, so the backlog is counted without reading the delivered history.
        CountUnfinished = $"""
            SELECT (SELECT count(*) FROM {Queue} WHERE status = 0 AND attempt_count = 0)
                 + (SELECT count(*) FROM {Queue} WHERE status = 0 AND attempt_count > 0)
                 + (SELECT count(*) FROM {Queue} WHERE status = 1)
            """;
        GetDelivery = $"SELECT {DeliveryColumns} FROM {DeliveryState} WHERE id = @id";

        RedeliverReset = $"""
            WITH u AS (
                UPDATE {Deliveries} SET {ResetDelivery}
                WHERE message_id = @message AND subscription_id = @subscription AND status IN (2, 3)
                RETURNING {DeliveryColumns}),
            q AS (INSERT INTO {Queue} {QueueFresh})
            SELECT u.*, pg_notify(@channel, @schema)::text FROM u
            """;
        RedeliverInsert = $"""
            WITH u AS (
                INSERT INTO {Deliveries} (id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, created_at)
                SELECT @id, id, @subscription, tenant_id, event_type, 0, 0, @now, @now FROM {Messages} WHERE id = @message
                ON CONFLICT (message_id, subscription_id) DO NOTHING
                RETURNING {DeliveryColumns}),
            q AS (INSERT INTO {Queue} {QueueFresh})
            SELECT u.*, pg_notify(@channel, @schema)::text FROM u
            """;
        RedeliverExisting = $"SELECT {DeliveryColumns} FROM {DeliveryState} WHERE message_id = @message AND subscription_id = @subscription";
        Recover = $"""
            WITH u AS (
                UPDATE {Deliveries} SET {ResetDelivery}
                WHERE subscription_id = @subscription AND status = 3 AND created_at >= @since
                RETURNING id, subscription_id, tenant_id),
            q AS (INSERT INTO {Queue} {QueueFresh} RETURNING 1)
            SELECT count(*) FROM (SELECT pg_notify(@channel, @schema) FROM q) n
            """;

        // Retention: whole messages whose deliveries all succeeded (deliveries and attempts go by cascade).
        PurgeSucceeded = $"""
            WITH victims AS (
                SELECT m.id FROM {Messages} m
                WHERE m.created_at < @before
                  AND NOT EXISTS (SELECT 1 FROM {Deliveries} d WHERE d.message_id = m.id AND d.status <> 2)
                ORDER BY m.created_at LIMIT @max FOR UPDATE SKIP LOCKED),
            gone AS (DELETE FROM {Messages} WHERE id IN (SELECT id FROM victims) RETURNING 1)
            SELECT count(*) FROM gone
            """;

        // Failed deliveries (attempts by cascade), then the messages left with no delivery at all.
        PurgeFailed = $"""
            WITH victims AS (
                SELECT id, message_id FROM {Deliveries}
                WHERE failed_at < @before AND (@subscription::text IS NULL OR subscription_id = @subscription)
                ORDER BY failed_at LIMIT @max FOR UPDATE SKIP LOCKED),
            gone AS (DELETE FROM {Deliveries} WHERE id IN (SELECT id FROM victims) RETURNING message_id),
            orphans AS (
                DELETE FROM {Messages} m
                WHERE m.id IN (SELECT message_id FROM gone)
                  AND NOT EXISTS (SELECT 1 FROM {Deliveries} d WHERE d.message_id = m.id AND d.id NOT IN (SELECT id FROM victims)))
            SELECT count(*) FROM gone
            """;
    }

    public string Subscriptions { get; }

    public string Messages { get; }

    public string Deliveries { get; }

    /// <summary>Gets the narrow table of pending and leased deliveries (schema 2).</summary>
    public string Queue { get; }

    /// <summary>Gets the view that presents a delivery with its queue state, as <see cref="DeliveryColumns"/>.</summary>
    public string DeliveryState { get; }

    public string Attempts { get; }

    public string InsertSubscription { get; }

    public string UpdateSubscription { get; }

    public string GetSubscription { get; }

    public string DeleteSubscription { get; }

    public string FindSubscriptionsOfTenant { get; }

    public string FindSubscriptionsWithoutTenant { get; }

    public string Enqueue { get; }

    public string FindIdempotent { get; }

    public string GetMessage { get; }

    public string Claim { get; }

    public string Complete { get; }

    public string CompleteMany { get; }

    public string Release { get; }

    public string ReleaseMany { get; }

    public string NextDueTime { get; }

    public string CountUnfinished { get; }

    public string GetDelivery { get; }

    public string RedeliverReset { get; }

    public string RedeliverInsert { get; }

    public string RedeliverExisting { get; }

    public string Recover { get; }

    public string PurgeSucceeded { get; }

    public string PurgeFailed { get; }

    /// <summary>
    /// The completion statement over the completions that <paramref name="source"/> selects (columns id, lease, status,
    /// next, reason, has_attempt, the attempt fields and ord).
    /// </summary>
    private string CompleteStatement(string source) => $"""
        WITH c AS ({source}),
        cur AS (
            SELECT d.id, coalesce(q.lease_id, d.lease_id) AS lease_id
            FROM {Deliveries} d JOIN c ON d.id = c.id LEFT JOIN {Queue} q ON q.delivery_id = c.id),
        retried AS (
            UPDATE {Queue} q
            SET status = 0, attempt_count = q.attempt_count + CASE WHEN c.has_attempt THEN 1 ELSE 0 END,
                next_attempt_at = coalesce(c.next, @now), lease_expires_at = NULL
            FROM c WHERE q.delivery_id = c.id AND q.lease_id = c.lease AND q.status = 1 AND c.status = 0
            RETURNING q.delivery_id AS id, q.lease_owner),
        finished AS (
            DELETE FROM {Queue} q USING c
            WHERE q.delivery_id = c.id AND q.lease_id = c.lease AND q.status = 1 AND c.status <> 0
            RETURNING q.delivery_id AS id, q.lease_owner),
        done AS (SELECT * FROM retried UNION ALL SELECT * FROM finished),
        upd AS (
            UPDATE {Deliveries} d SET
                status = c.status,
                next_attempt_at = CASE WHEN c.status = 0 THEN coalesce(c.next, @now) ELSE d.next_attempt_at END,
                failure_reason = CASE WHEN c.status = 3 THEN c.reason ELSE NULL END,
                completed_at = CASE WHEN c.status = 0 THEN NULL ELSE @now END,
                failed_at = CASE WHEN c.status = 3 THEN @now ELSE NULL END,
                lease_id = c.lease,
                lease_owner = done.lease_owner,
                attempt_count = d.attempt_count + CASE WHEN c.has_attempt THEN 1 ELSE 0 END,
                last_attempt_at = CASE WHEN c.has_attempt THEN c.a_started ELSE d.last_attempt_at END,
                last_status_code = CASE WHEN c.has_attempt THEN c.a_status_code ELSE d.last_status_code END
            FROM c JOIN done ON done.id = c.id
            WHERE d.id = c.id),
        ins AS (
            INSERT INTO {Attempts} ({AttemptColumns})
            SELECT {Prefix("c.", CompletedAttempt)} FROM c JOIN done ON done.id = c.id WHERE c.has_attempt
            ON CONFLICT (id) DO NOTHING)
        SELECT done.id IS NOT NULL, cur.id IS NOT NULL, cur.lease_id
        FROM c LEFT JOIN done ON done.id = c.id LEFT JOIN cur ON cur.id = c.id
        ORDER BY c.ord
        """;

    /// <summary>Each parameter named as its column: <c>@a AS a, @b AS b</c>.</summary>
    private static string Aliased(string columns) => string.Join(", ", columns.Split(", ").Select(static c => $"@{c} AS {c}"));

    private static string Prefix(string prefix, string columns) => prefix + columns.Replace(", ", ", " + prefix, StringComparison.Ordinal);
}
