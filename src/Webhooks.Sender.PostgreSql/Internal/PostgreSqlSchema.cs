using Npgsql;

namespace Webhooks.Sender.PostgreSql.Internal;

/// <summary>
/// The store's tables, created and upgraded by numbered migrations recorded in <c>schema_version</c>. Two instances
/// starting together serialize on a transaction-scoped advisory lock, so each migration runs once.
/// </summary>
internal static class PostgreSqlSchema
{
    // Bump when a migration is added; a store refuses a database that is newer than it knows.
    public const int CurrentVersion = 2;

    // Any fixed number: the advisory lock key space is shared with the application, so the schema name is mixed in.
    private const long LockKeyBase = 0x5745_4248_4F4F_4B53; // "WEBHOOKS"

    private static readonly string[] Migrations =
    [
        // 1: the tables and the indexes that keep every operation bounded.
        """
        CREATE TABLE {s}.subscriptions (
            id text COLLATE "C" PRIMARY KEY,
            tenant_id text COLLATE "C",
            url text NOT NULL,
            event_types text[] NOT NULL,
            secrets jsonb NOT NULL,
            enabled boolean NOT NULL,
            disabled_reason text,
            description text,
            metadata jsonb NOT NULL,
            headers jsonb NOT NULL,
            rate_limit_per_second integer,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL);
        CREATE INDEX subscriptions_tenant_enabled ON {s}.subscriptions (tenant_id, id) WHERE enabled;

        CREATE TABLE {s}.messages (
            id text COLLATE "C" PRIMARY KEY,
            tenant_id text COLLATE "C",
            event_type text NOT NULL,
            payload bytea NOT NULL,
            idempotency_key text,
            trace_parent text,
            trace_state text,
            created_at timestamptz NOT NULL);
        CREATE UNIQUE INDEX messages_idempotency ON {s}.messages ((coalesce(tenant_id, '')), idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE INDEX messages_created ON {s}.messages (created_at);

        CREATE TABLE {s}.deliveries (
            id text COLLATE "C" PRIMARY KEY,
            message_id text COLLATE "C" NOT NULL REFERENCES {s}.messages (id) ON DELETE CASCADE,
            subscription_id text COLLATE "C" NOT NULL,
            tenant_id text COLLATE "C",
            event_type text NOT NULL,
            status smallint NOT NULL,
            attempt_count integer NOT NULL,
            next_attempt_at timestamptz NOT NULL,
            last_attempt_at timestamptz,
            last_status_code integer,
            failure_reason text,
            lease_id text,
            lease_owner text,
            lease_expires_at timestamptz,
            created_at timestamptz NOT NULL,
            completed_at timestamptz);
        CREATE UNIQUE INDEX deliveries_message_subscription ON {s}.deliveries (message_id, subscription_id);
        CREATE INDEX deliveries_subscription ON {s}.deliveries (subscription_id, id);
        CREATE INDEX deliveries_due_first ON {s}.deliveries (next_attempt_at, id) WHERE status = 0 AND attempt_count = 0;
        CREATE INDEX deliveries_due_retry ON {s}.deliveries (next_attempt_at, id) WHERE status = 0 AND attempt_count > 0;
        CREATE INDEX deliveries_leased ON {s}.deliveries (lease_expires_at, id) WHERE status = 1;
        CREATE INDEX deliveries_failed ON {s}.deliveries (completed_at) WHERE status = 3;

        CREATE TABLE {s}.attempts (
            id text COLLATE "C" PRIMARY KEY,
            delivery_id text COLLATE "C" NOT NULL REFERENCES {s}.deliveries (id) ON DELETE CASCADE,
            message_id text COLLATE "C" NOT NULL,
            subscription_id text COLLATE "C" NOT NULL,
            tenant_id text COLLATE "C",
            attempt_number integer NOT NULL,
            url text NOT NULL,
            started_at timestamptz NOT NULL,
            duration interval NOT NULL,
            succeeded boolean NOT NULL,
            error smallint NOT NULL,
            error_message text,
            status_code integer,
            response_headers jsonb NOT NULL,
            response_excerpt text,
            remote_address text);
        CREATE INDEX attempts_delivery ON {s}.attempts (delivery_id, id);
        CREATE INDEX attempts_message ON {s}.attempts (message_id, id);
        CREATE INDEX attempts_subscription ON {s}.attempts (subscription_id, id);
        """,

        // 2: the hot path's state moves to a narrow queue table. What changes on every claim (status, lease) and every
        // retry (attempt count, next attempt time) lives in delivery_queue, one row per pending or leased delivery,
        // deleted when the delivery succeeds or fails. The wide deliveries row keeps no index on a column a completion
        // changes (failed_at changes once, when a delivery fails), so its one update per attempt is HOT: no new index
        // entries. The queue has no foreign key (a check and a row lock per insert); only the store writes it, and
        // the purges only delete finished deliveries, which have no queue row. deliveries.status is 0 (unfinished),
        // 2 or 3; deliveries.lease_expires_at is unused. delivery_state presents a delivery as schema 1 stored it.
        """
        ALTER TABLE {s}.deliveries ADD COLUMN failed_at timestamptz;
        UPDATE {s}.deliveries SET failed_at = completed_at WHERE status = 3;

        CREATE TABLE {s}.delivery_queue (
            delivery_id text COLLATE "C" PRIMARY KEY,
            subscription_id text COLLATE "C" NOT NULL,
            tenant_id text COLLATE "C",
            status smallint NOT NULL,
            attempt_count integer NOT NULL,
            next_attempt_at timestamptz NOT NULL,
            lease_id text,
            lease_owner text,
            lease_expires_at timestamptz) WITH (fillfactor = 80);
        INSERT INTO {s}.delivery_queue (delivery_id, subscription_id, tenant_id, status, attempt_count, next_attempt_at, lease_id, lease_owner, lease_expires_at)
        SELECT id, subscription_id, tenant_id, status, attempt_count, next_attempt_at, lease_id, lease_owner, lease_expires_at
        FROM {s}.deliveries WHERE status IN (0, 1);
        UPDATE {s}.deliveries SET status = 0, lease_expires_at = NULL WHERE status = 1;
        CREATE INDEX delivery_queue_first ON {s}.delivery_queue (next_attempt_at, delivery_id) WHERE status = 0 AND attempt_count = 0;
        CREATE INDEX delivery_queue_retry ON {s}.delivery_queue (next_attempt_at, delivery_id) WHERE status = 0 AND attempt_count > 0;
        CREATE INDEX delivery_queue_leased ON {s}.delivery_queue (lease_expires_at, delivery_id) WHERE status = 1;

        DROP INDEX {s}.deliveries_due_first;
        DROP INDEX {s}.deliveries_due_retry;
        DROP INDEX {s}.deliveries_leased;
        DROP INDEX {s}.deliveries_failed;
        CREATE INDEX deliveries_failed ON {s}.deliveries (failed_at, id) WHERE failed_at IS NOT NULL;
        ALTER TABLE {s}.deliveries SET (fillfactor = 85);

        CREATE VIEW {s}.delivery_state AS
        SELECT d.id, d.message_id, d.subscription_id, d.tenant_id, d.event_type,
               coalesce(q.status, d.status) AS status, coalesce(q.attempt_count, d.attempt_count) AS attempt_count,
               coalesce(q.next_attempt_at, d.next_attempt_at) AS next_attempt_at, d.last_attempt_at, d.last_status_code,
               d.failure_reason, coalesce(q.lease_id, d.lease_id) AS lease_id, coalesce(q.lease_owner, d.lease_owner) AS lease_owner,
               q.lease_expires_at, d.created_at, d.completed_at
        FROM {s}.deliveries d LEFT JOIN {s}.delivery_queue q ON q.delivery_id = d.id;
        """,
    ];

    /// <summary>
    /// Creates or upgrades the schema; returns the version found before. The version is read first, without DDL: an
    /// up-to-date schema needs no CREATE privilege (PostgreSQL checks it before <c>IF NOT EXISTS</c>), so a role with
    /// only USAGE on the schema and DML on its tables can start. Only a schema that is missing or behind is migrated,
    /// under the advisory lock, where the version is read again.
    /// </summary>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        var quoted = Quote(schema);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var current = await TryReadVersionAsync(connection, schema, quoted, cancellationToken).ConfigureAwait(false);
        if (current >= CurrentVersion)
        {
            ThrowIfNewer(current.Value, schema);
            return current.Value;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(
            $"""
            SELECT pg_advisory_xact_lock(@key # hashtext(@schema));
            CREATE SCHEMA IF NOT EXISTS {quoted};
            CREATE TABLE IF NOT EXISTS {quoted}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            """,
            connection,
            transaction))
        {
            command.Parameters.AddWithValue("key", LockKeyBase);
            command.Parameters.AddWithValue("schema", schema);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var found = await ReadVersionAsync(connection, transaction, quoted, cancellationToken).ConfigureAwait(false);
        ThrowIfNewer(found, schema);
        for (var version = found + 1; version <= CurrentVersion; version++)
        {
            await using var command = new NpgsqlCommand(
                Migrations[version - 1].Replace("{s}", quoted, StringComparison.Ordinal) + $"; INSERT INTO {quoted}.schema_version (version) VALUES ({version});",
                connection,
                transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>Checks that the schema exists at the version this store expects (when migrations are applied elsewhere).</summary>
    public static async Task VerifyAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        var quoted = Quote(schema);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (await TryReadVersionAsync(connection, schema, quoted, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            throw new InvalidOperationException($"The webhook store schema '{schema}' does not exist. Apply the migrations or set PostgreSqlWebhookStoreOptions.AutoMigrate to true.");
        }

        ThrowIfNewer(found, schema);
        if (found < CurrentVersion)
        {
            throw new InvalidOperationException($"The webhook store schema '{schema}' is at version {found}, but this version of Webhooks.Sender.PostgreSql needs {CurrentVersion}. Apply the migrations or set PostgreSqlWebhookStoreOptions.AutoMigrate to true.");
        }
    }

    /// <summary>Quotes a schema name that <see cref="PostgreSqlWebhookStoreOptionsValidator"/> accepted.</summary>
    public static string Quote(string schema) => "\"" + schema + "\"";

    /// <summary>Reads the schema version without taking a lock or running DDL; <see langword="null"/> when there is no version table.</summary>
    /// <remarks>
    /// The catalog is read with a query, not by name resolution (<c>to_regclass</c>): resolving a missing schema's name
    /// leaves a negative entry in the backend's catalog cache, which the advisory lock does not refresh, so a migration
    /// on this connection after another instance created the schema would try to create it again (23505).
    /// </remarks>
    private static async Task<int?> TryReadVersionAsync(NpgsqlConnection connection, string schema, string quoted, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand(
            """
            SELECT EXISTS (
                SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = @schema AND c.relname = 'schema_version')
            """,
            connection))
        {
            exists.Parameters.AddWithValue("schema", schema);
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return null;
            }
        }

        return await ReadVersionAsync(connection, null, quoted, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string quoted, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {quoted}.schema_version", connection, transaction);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static void ThrowIfNewer(int found, string schema)
    {
        if (found > CurrentVersion)
        {
            throw new InvalidOperationException($"The webhook store schema '{schema}' is at version {found}, newer than this version of Webhooks.Sender.PostgreSql knows ({CurrentVersion}). Upgrade the package.");
        }
    }
}
