using Npgsql;

namespace Webhooks.Receiver.PostgreSql.Internal;

/// <summary>
/// The inbox's table, created and upgraded by numbered migrations recorded in <c>inbox_schema_version</c>; instances
/// starting together serialize on a transaction-scoped advisory lock. An up-to-date schema is detected without DDL, so a
/// least-privilege role can start (the same approach as the sender's PostgreSQL store).
/// </summary>
internal static class PostgreSqlInboxSchema
{
    // Any fixed number, mixed with the schema name: "INBOX".
    private const long LockKeyBase = 0x0049_4E42_4F58;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE {s}.inbox_items (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            receiver text COLLATE "C" NOT NULL,
            message_id text COLLATE "C" NOT NULL,
            event_type text NOT NULL,
            sent_at timestamptz,
            received_at timestamptz NOT NULL,
            body bytea NOT NULL,
            payload bytea,
            payload_start integer NOT NULL,
            payload_length integer NOT NULL,
            headers text NOT NULL,
            state smallint NOT NULL,
            attempts integer NOT NULL,
            next_attempt_at timestamptz NOT NULL,
            last_error text,
            lease_id text,
            lease_expires_at timestamptz,
            completed_at timestamptz,
            due_at timestamptz GENERATED ALWAYS AS (CASE state WHEN 0 THEN next_attempt_at WHEN 1 THEN lease_expires_at END) STORED);
        CREATE UNIQUE INDEX inbox_items_message ON {s}.inbox_items (receiver, message_id);
        CREATE INDEX inbox_items_due ON {s}.inbox_items (receiver, due_at, id) WHERE due_at IS NOT NULL;
        CREATE INDEX inbox_items_state ON {s}.inbox_items (state, id);
        CREATE INDEX inbox_items_completed ON {s}.inbox_items (state, completed_at) WHERE completed_at IS NOT NULL;
        CREATE INDEX inbox_items_dead_received ON {s}.inbox_items (received_at) WHERE state = 3;
        """,
    ];

    public static int CurrentVersion => Migrations.Length;

    public static string Quote(string schema) => "\"" + schema + "\"";

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, string schema, bool autoMigrate, CancellationToken cancellationToken)
    {
        var quoted = Quote(schema);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var current = await TryReadVersionAsync(connection, null, schema, quoted, cancellationToken).ConfigureAwait(false);
        if (current >= CurrentVersion)
        {
            ThrowIfNewer(current.Value, schema);
            return;
        }

        if (!autoMigrate)
        {
            throw new InvalidOperationException(
                $"The webhook inbox tables in schema '{schema}' are at version {current ?? 0}, but this version of Webhooks.Receiver.PostgreSql needs {CurrentVersion}. Apply the migrations or set PostgreSqlWebhookInboxOptions.AutoMigrate to true.");
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(
            $"""
            SELECT pg_advisory_xact_lock(@key # hashtext(@schema));
            CREATE SCHEMA IF NOT EXISTS {quoted};
            CREATE TABLE IF NOT EXISTS {quoted}.inbox_schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            """,
            connection,
            transaction))
        {
            command.Parameters.AddWithValue("key", LockKeyBase);
            command.Parameters.AddWithValue("schema", schema);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var found = await TryReadVersionAsync(connection, transaction, schema, quoted, cancellationToken).ConfigureAwait(false) ?? 0;
        ThrowIfNewer(found, schema);
        for (var version = found + 1; version <= CurrentVersion; version++)
        {
            await using var command = new NpgsqlCommand(
                Migrations[version - 1].Replace("{s}", quoted, StringComparison.Ordinal) + $"; INSERT INTO {quoted}.inbox_schema_version (version) VALUES ({version});",
                connection,
                transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int?> TryReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, string quoted, CancellationToken cancellationToken)
    {
        // The catalog is queried rather than resolved by name (see PostgreSqlSchema in the sender's store for why).
        await using (var exists = new NpgsqlCommand(
            """
            SELECT EXISTS (
                SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = @schema AND c.relname = 'inbox_schema_version')
            """,
            connection,
            transaction))
        {
            exists.Parameters.AddWithValue("schema", schema);
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return null;
            }
        }

        await using var command = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {quoted}.inbox_schema_version", connection, transaction);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static void ThrowIfNewer(int found, string schema)
    {
        if (found > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The webhook inbox tables in schema '{schema}' are at version {found}, newer than this version of Webhooks.Receiver.PostgreSql knows ({CurrentVersion}). Upgrade the package.");
        }
    }
}
