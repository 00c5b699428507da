using Microsoft.Data.Sqlite;

namespace Webhooks.Sender.Sqlite.Internal;

/// <summary>
/// The database schema as numbered migrations. A file records the migrations applied to it in <c>schema_version</c>;
/// opening it applies the missing ones in order, each in its own transaction. Never edit a shipped migration: add one.
/// </summary>
/// <remarks>
/// Times are unix milliseconds (INTEGER), durations microseconds, statuses the <c>WebhookDeliveryStatus</c> numbers,
/// lists and maps JSON text. Ids are time-sortable text, so <c>ORDER BY id DESC</c> is newest first and keyset paging
/// walks the primary key (or an <c>(x, id)</c> index).
/// </remarks>
internal static class SqliteSchema
{
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "subscriptions, messages, deliveries, attempts",
            """
            CREATE TABLE subscriptions (
                id TEXT NOT NULL PRIMARY KEY,
                tenant_id TEXT NULL,
                url TEXT NOT NULL,
                secrets TEXT NOT NULL,
                event_types TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                disabled_reason TEXT NULL,
                description TEXT NULL,
                metadata TEXT NOT NULL,
                headers TEXT NOT NULL,
                rate_limit_per_second INTEGER NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE INDEX ix_subscriptions_tenant ON subscriptions (tenant_id, id);

            CREATE TABLE messages (
                id TEXT NOT NULL PRIMARY KEY,
                tenant_id TEXT NULL,
                event_type TEXT NOT NULL,
                payload BLOB NOT NULL,
                idempotency_key TEXT NULL,
                trace_parent TEXT NULL,
                trace_state TEXT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX ix_messages_tenant ON messages (tenant_id, id);
            -- SQLite unique indexes treat NULLs as distinct, so a NULL tenant is mapped to the blob x'00', which never
            -- equals any text tenant id. Lookups must use the same expression to use the index.
            CREATE UNIQUE INDEX ux_messages_idempotency ON messages (idempotency_key, ifnull(tenant_id, x'00'))
                WHERE idempotency_key IS NOT NULL;

            CREATE TABLE deliveries (
                id TEXT NOT NULL PRIMARY KEY,
                message_id TEXT NOT NULL,
                subscription_id TEXT NOT NULL,
                tenant_id TEXT NULL,
                event_type TEXT NOT NULL,
                status INTEGER NOT NULL,
                attempt_count INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                last_attempt_at INTEGER NULL,
                last_status_code INTEGER NULL,
                failure_reason TEXT NULL,
                lease_id TEXT NULL,
                lease_owner TEXT NULL,
                lease_expires_at INTEGER NULL,
                created_at INTEGER NOT NULL,
                completed_at INTEGER NULL,
                -- When the delivery can be claimed: the due time while pending, the lease expiry while in flight,
                -- NULL once finished. Only unfinished rows enter the due indexes below.
                due_at INTEGER GENERATED ALWAYS AS (CASE status WHEN 0 THEN next_attempt_at WHEN 1 THEN lease_expires_at END) VIRTUAL
            );
            CREATE UNIQUE INDEX ux_deliveries_message_subscription ON deliveries (message_id, subscription_id);
            CREATE INDEX ix_deliveries_subscription ON deliveries (subscription_id, id);
            CREATE INDEX ix_deliveries_tenant ON deliveries (tenant_id, id);
            CREATE INDEX ix_deliveries_status ON deliveries (status, id);
            -- The claim reads first attempts before retries, each in due order: one partial index per group, so a
            -- claim is two range scans that stop after the batch size, whatever the size of the backlog.
            CREATE INDEX ix_deliveries_due_first ON deliveries (due_at, id) WHERE due_at IS NOT NULL AND attempt_count = 0;
            CREATE INDEX ix_deliveries_due_retry ON deliveries (due_at, id) WHERE due_at IS NOT NULL AND attempt_count > 0;
            -- Recover: the failed deliveries of one subscription since a time.
            CREATE INDEX ix_deliveries_failed_subscription ON deliveries (subscription_id, created_at) WHERE status = 3;

            CREATE TABLE attempts (
                id TEXT NOT NULL PRIMARY KEY,
                delivery_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                subscription_id TEXT NOT NULL,
                tenant_id TEXT NULL,
                attempt_number INTEGER NOT NULL,
                url TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                duration_us INTEGER NOT NULL,
                succeeded INTEGER NOT NULL,
                error INTEGER NOT NULL,
                error_message TEXT NULL,
                status_code INTEGER NULL,
                response_headers TEXT NOT NULL,
                response_excerpt TEXT NULL,
                remote_address TEXT NULL
            );
            CREATE INDEX ix_attempts_delivery ON attempts (delivery_id, id);
            CREATE INDEX ix_attempts_message ON attempts (message_id, id);
            CREATE INDEX ix_attempts_subscription ON attempts (subscription_id, id);
            CREATE INDEX ix_attempts_tenant ON attempts (tenant_id, id);
            """),
        new(2, "retention indexes",
            """
            -- Purge of succeeded messages walks messages from the oldest.
            CREATE INDEX ix_messages_created ON messages (created_at);
            -- Explicit purge of failed deliveries by completion time.
            CREATE INDEX ix_deliveries_failed_completed ON deliveries (completed_at) WHERE status = 3;
            """),
        new(3, "second design: unfinished deliveries' per-attempt state in the narrow delivery_queue",
            """
            -- What changes on every claim, release and retry (in flight or not, lease, attempt count, next attempt time)
            -- lives in one narrow row per unfinished delivery, with only the two due indexes over it. The wide
            -- deliveries row is written twice in its life: when the delivery is stored (status 0, "unfinished") and when
            -- it finishes (its final status, with the attempt state copied from its queue row, which is then deleted).
            CREATE TABLE delivery_queue (
                delivery_id TEXT NOT NULL PRIMARY KEY,
                subscription_id TEXT NOT NULL,
                tenant_id TEXT NULL,
                attempt_count INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                in_flight INTEGER NOT NULL,
                lease_id TEXT NULL,
                lease_owner TEXT NULL,
                lease_expires_at INTEGER NULL,
                last_attempt_at INTEGER NULL,
                last_status_code INTEGER NULL,
                -- When the delivery can be claimed: the due time while waiting, the lease expiry while in flight.
                due_at INTEGER GENERATED ALWAYS AS (CASE in_flight WHEN 0 THEN next_attempt_at ELSE lease_expires_at END) VIRTUAL
            ) WITHOUT ROWID;
            INSERT INTO delivery_queue (delivery_id, subscription_id, tenant_id, attempt_count, next_attempt_at, in_flight, lease_id, lease_owner, lease_expires_at, last_attempt_at, last_status_code)
                SELECT id, subscription_id, tenant_id, attempt_count, next_attempt_at, status, lease_id, lease_owner, lease_expires_at, last_attempt_at, last_status_code
                FROM deliveries WHERE status IN (0, 1);
            UPDATE deliveries SET status = 0 WHERE status = 1;
            -- First attempts before retries, each in due order: two range scans that stop after the batch size.
            CREATE INDEX ix_queue_due_first ON delivery_queue (due_at, delivery_id) WHERE attempt_count = 0;
            CREATE INDEX ix_queue_due_retry ON delivery_queue (due_at, delivery_id) WHERE attempt_count > 0;
            DROP INDEX ix_deliveries_due_first;
            DROP INDEX ix_deliveries_due_retry;

            -- Fewer index writes per publish: tenant lists always name a tenant (tenant_id = ?, which implies NOT NULL),
            -- so rows without a tenant need no entry.
            DROP INDEX ix_messages_tenant;
            CREATE INDEX ix_messages_tenant ON messages (tenant_id, id) WHERE tenant_id IS NOT NULL;
            DROP INDEX ix_deliveries_tenant;
            CREATE INDEX ix_deliveries_tenant ON deliveries (tenant_id, id) WHERE tenant_id IS NOT NULL;
            DROP INDEX ix_attempts_tenant;
            CREATE INDEX ix_attempts_tenant ON attempts (tenant_id, id) WHERE tenant_id IS NOT NULL;

            -- A delivery as the store reports it: the queue's live state while unfinished, the row's own once finished.
            -- row_status is the wide row's status (0 for every unfinished delivery), for filters that use its index.
            CREATE VIEW delivery_rows AS
            SELECT d.id AS id, d.message_id AS message_id, d.subscription_id AS subscription_id, d.tenant_id AS tenant_id,
                d.event_type AS event_type,
                CASE WHEN q.delivery_id IS NULL THEN d.status ELSE q.in_flight END AS status,
                CASE WHEN q.delivery_id IS NULL THEN d.attempt_count ELSE q.attempt_count END AS attempt_count,
                CASE WHEN q.delivery_id IS NULL THEN d.next_attempt_at ELSE q.next_attempt_at END AS next_attempt_at,
                CASE WHEN q.delivery_id IS NULL THEN d.last_attempt_at ELSE q.last_attempt_at END AS last_attempt_at,
                CASE WHEN q.delivery_id IS NULL THEN d.last_status_code ELSE q.last_status_code END AS last_status_code,
                d.failure_reason AS failure_reason,
                CASE WHEN q.delivery_id IS NULL THEN d.lease_id ELSE q.lease_id END AS lease_id,
                CASE WHEN q.delivery_id IS NULL THEN d.lease_owner ELSE q.lease_owner END AS lease_owner,
                CASE WHEN q.delivery_id IS NULL THEN d.lease_expires_at ELSE q.lease_expires_at END AS lease_expires_at,
                d.created_at AS created_at, d.completed_at AS completed_at, d.status AS row_status
            FROM deliveries AS d LEFT JOIN delivery_queue AS q ON q.delivery_id = d.id;
            """),
    ];

    /// <summary>Gets the newest schema version this code knows.</summary>
    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>Reads the schema version of the database: 0 for a new file.</summary>
    public static int GetVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        if (Convert.ToInt64(exists.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT ifnull(max(version), 0) FROM schema_version";
        return Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Applies the migrations after the database's version, up to <paramref name="targetVersion"/> (the latest when
    /// null), each in a <c>BEGIN IMMEDIATE</c> transaction that re-reads the version, so two processes opening the
    /// same new file do not both migrate it.
    /// </summary>
    /// <returns>The migrations applied.</returns>
    /// <exception cref="InvalidOperationException">The file was written by a newer version of the store.</exception>
    public static IReadOnlyList<Migration> Migrate(SqliteConnection connection, long nowUnixMilliseconds, int? targetVersion = null)
    {
        var target = targetVersion ?? LatestVersion;
        var applied = new List<Migration>();
        foreach (var migration in Migrations)
        {
            if (migration.Version > target)
            {
                break;
            }

            using var transaction = connection.BeginTransaction(deferred: false);
            var current = GetVersion(connection, transaction);
            if (current > LatestVersion)
            {
                throw new InvalidOperationException(
                    $"The SQLite webhook store file '{connection.DataSource}' has schema version {current}, but this version of Webhooks.Sender.Sqlite knows versions up to {LatestVersion}. " +
                    "Upgrade the Webhooks.Sender.Sqlite package, or point the store at another file.");
            }

            if (migration.Version <= current)
            {
                continue;
            }

            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText =
                    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL);\n" +
                    migration.Sql + "\nINSERT INTO schema_version (version, description, applied_at) VALUES ($version, $description, $appliedAt);";
                command.Parameters.AddWithValue("$version", migration.Version);
                command.Parameters.AddWithValue("$description", migration.Description);
                command.Parameters.AddWithValue("$appliedAt", nowUnixMilliseconds);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            applied.Add(migration);
        }

        return applied;
    }

    /// <summary>One numbered step of the schema.</summary>
    /// <param name="Version">The version the database has after the step.</param>
    /// <param name="Description">What the step adds.</param>
    /// <param name="Sql">The statements.</param>
    internal sealed record Migration(int Version, string Description, string Sql);
}
