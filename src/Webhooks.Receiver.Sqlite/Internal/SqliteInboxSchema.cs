using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Webhooks.Receiver.Sqlite.Internal;

/// <summary>
/// The inbox's table as numbered migrations recorded in <c>inbox_schema_version</c> (its own table, so the inbox can
/// share a file with the sender's store). Each migration runs in a <c>BEGIN IMMEDIATE</c> transaction that reads the
/// version again, so two processes opening a new file do not both apply it. Never edit a shipped migration: add one.
/// </summary>
/// <remarks>Times are unix milliseconds; states the <see cref="WebhookInboxState"/> numbers.</remarks>
internal static class SqliteInboxSchema
{
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE inbox_items (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            receiver TEXT NOT NULL,
            message_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            sent_at INTEGER NULL,
            received_at INTEGER NOT NULL,
            body BLOB NOT NULL,
            payload BLOB NULL,
            payload_start INTEGER NOT NULL,
            payload_length INTEGER NOT NULL,
            headers TEXT NOT NULL,
            state INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            last_error TEXT NULL,
            lease_id TEXT NULL,
            lease_expires_at INTEGER NULL,
            completed_at INTEGER NULL,
            -- When the item can be claimed: the next attempt while pending, the lease expiry while processing.
            due_at INTEGER GENERATED ALWAYS AS (CASE state WHEN 0 THEN next_attempt_at WHEN 1 THEN lease_expires_at END) VIRTUAL
        );
        -- The duplicate check: one item per receiver and message id, for as long as the item is kept.
        CREATE UNIQUE INDEX ux_inbox_message ON inbox_items (receiver, message_id);
        -- The claim: a range scan over one receiver's unfinished items in due order, whatever the history's size.
        CREATE INDEX ix_inbox_due ON inbox_items (receiver, due_at, id) WHERE due_at IS NOT NULL;
        CREATE INDEX ix_inbox_state ON inbox_items (state, id);
        -- Retention and purge: finished items by completion time.
        CREATE INDEX ix_inbox_completed ON inbox_items (state, completed_at) WHERE completed_at IS NOT NULL;
        -- Replay of the dead items received since a time.
        CREATE INDEX ix_inbox_dead_received ON inbox_items (received_at) WHERE state = 3;
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>Applies the missing migrations; returns the version found before.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer version of the store.</exception>
    public static int Migrate(SqliteConnection connection, long nowUnixMilliseconds)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = "CREATE TABLE IF NOT EXISTS inbox_schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL)";
            create.ExecuteNonQuery();
        }

        int found;
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT ifnull(max(version), 0) FROM inbox_schema_version";
            found = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        if (found > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The SQLite webhook inbox in '{connection.DataSource}' has schema version {found}, but this version of Webhooks.Receiver.Sqlite knows versions up to {LatestVersion}. Upgrade the package, or point the inbox at another file.");
        }

        for (var version = found + 1; version <= LatestVersion; version++)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Migrations[version - 1] + "\nINSERT INTO inbox_schema_version (version, applied_at) VALUES ($version, $now);";
            command.Parameters.AddWithValue("$version", version);
            command.Parameters.AddWithValue("$now", nowUnixMilliseconds);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return found;
    }
}
