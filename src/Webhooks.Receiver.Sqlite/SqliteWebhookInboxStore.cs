using System.Globalization;
using Microsoft.Data.Sqlite;
using Webhooks.Receiver.Inbox;
using Webhooks.Receiver.Sqlite.Internal;

namespace Webhooks.Receiver.Sqlite;

/// <summary>
/// The durable inbox in one SQLite file (WAL mode), for a receiver running in a single process. The schema is created
/// and upgraded at first use. Every operation is one statement on the store's one connection, serialized (SQLite has
/// one writer); an accepted webhook is committed, and by default flushed to the disk, before the receiver answers.
/// </summary>
/// <remarks>
/// Run one receiver process per file; use the PostgreSQL inbox for several instances. The file holds webhook bodies and
/// headers (credentials and cookies removed): protect it like the data the webhooks carry.
/// </remarks>
public sealed class SqliteWebhookInboxStore : IWebhookInboxStore, IDisposable
{
    private const string Columns =
        "id, receiver, message_id, event_type, sent_at, received_at, body, payload, payload_start, payload_length, headers, state, attempts, next_attempt_at, last_error, lease_id, lease_expires_at, completed_at";

    private readonly string _connectionString;
    private readonly string _dataSource;
    private readonly int _busyTimeoutMs;
    private readonly bool _flush;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private SqliteConnection? _connection;
    private bool _disposed;

    /// <summary>Creates a store on the file the options name; nothing is opened until first use.</summary>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock of the schema's records; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">The connection string is empty or not valid, or the busy timeout is negative.</exception>
    public SqliteWebhookInboxStore(SqliteWebhookInboxOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Validate(options) is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        var builder = new SqliteConnectionStringBuilder(options.ConnectionString) { Pooling = false };
        _connectionString = builder.ToString();
        _dataSource = builder.DataSource;
        _busyTimeoutMs = (int)options.BusyTimeout.TotalMilliseconds;
        _flush = options.FlushEachWrite;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the database file.</summary>
    public string DataSource => _dataSource;

    /// <summary>Opens the file and creates or upgrades the schema now rather than at first use.</summary>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>A task.</returns>
    /// <exception cref="InvalidOperationException">The file cannot be opened, or was written by a newer version.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => RunAsync(0, static (_, _) => 0, cancellationToken);

    /// <inheritdoc />
    public ValueTask<WebhookInboxAddResult> AddAsync(WebhookInboxEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(RunAsync(entry, static (connection, entry) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                """
                INSERT INTO inbox_items (receiver, message_id, event_type, sent_at, received_at, body, payload, payload_start, payload_length, headers, state, attempts, next_attempt_at)
                VALUES ($receiver, $messageId, $eventType, $sentAt, $receivedAt, $body, $payload, $payloadStart, $payloadLength, $headers, 0, 0, $receivedAt)
                ON CONFLICT (receiver, message_id) DO NOTHING
                """;
            command.Parameters.AddWithValue("$receiver", entry.ReceiverName);
            command.Parameters.AddWithValue("$messageId", entry.MessageId);
            command.Parameters.AddWithValue("$eventType", entry.EventType);
            command.Parameters.AddWithValue("$sentAt", (object?)entry.Timestamp?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            command.Parameters.AddWithValue("$receivedAt", entry.ReceivedAt.ToUnixTimeMilliseconds());
            command.Parameters.Add("$body", SqliteType.Blob).Value = entry.Body.ToArray();
            command.Parameters.Add("$payload", SqliteType.Blob).Value = entry.Payload is { } payload ? payload.ToArray() : DBNull.Value;
            command.Parameters.AddWithValue("$payloadStart", entry.PayloadStart);
            command.Parameters.AddWithValue("$payloadLength", entry.PayloadLength);
            command.Parameters.AddWithValue("$headers", entry.Headers);
            return command.ExecuteNonQuery() == 1 ? WebhookInboxAddResult.Added : WebhookInboxAddResult.Duplicate;
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WebhookInboxItem>> ClaimAsync(string receiverName, string leaseId, int maxItems, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiverName);
        ArgumentNullException.ThrowIfNull(leaseId);
        return new(RunAsync((receiverName, leaseId, maxItems, now, lease), static (connection, s) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                $"""
                UPDATE inbox_items SET state = 1, attempts = attempts + 1, lease_id = $lease, lease_expires_at = $expires
                WHERE id IN (SELECT id FROM inbox_items WHERE receiver = $receiver AND due_at IS NOT NULL AND due_at <= $now ORDER BY due_at, id LIMIT $max)
                RETURNING {Columns}
                """;
            command.Parameters.AddWithValue("$lease", s.leaseId);
            command.Parameters.AddWithValue("$expires", (s.now + s.lease).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$receiver", s.receiverName);
            command.Parameters.AddWithValue("$now", s.now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$max", s.maxItems);
            var items = ReadAll(command);
            items.Sort(static (a, b) => a.Id.CompareTo(b.Id));
            return (IReadOnlyList<WebhookInboxItem>)items;
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<bool> CompleteAsync(long id, string leaseId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Finish(id, leaseId, "state = 2, completed_at = $now", error: null, next: null, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> FailAsync(long id, string leaseId, string error, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        Finish(
            id,
            leaseId,
            nextAttemptAt is null ? "state = 3, completed_at = $now, last_error = $error" : "state = 0, next_attempt_at = $next, last_error = $error",
            error ?? string.Empty,
            nextAttemptAt,
            now,
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<WebhookInboxPage> ListAsync(WebhookInboxQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new(RunAsync(query, static (connection, query) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                $"""
                SELECT {Columns} FROM inbox_items
                WHERE id > $after AND ($state IS NULL OR state = $state) AND ($receiver IS NULL OR receiver = $receiver)
                ORDER BY id LIMIT $limit
                """;
            command.Parameters.AddWithValue("$after", query.After ?? 0);
            command.Parameters.AddWithValue("$state", query.State is { } state ? (int)state : DBNull.Value);
            command.Parameters.AddWithValue("$receiver", (object?)query.ReceiverName ?? DBNull.Value);
            command.Parameters.AddWithValue("$limit", query.Limit + 1);
            var items = ReadAll(command);
            var more = items.Count > query.Limit;
            if (more)
            {
                items.RemoveAt(items.Count - 1);
            }

            return new WebhookInboxPage(items, more ? items[^1].Id : null);
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<WebhookInboxItem?> GetAsync(long id, CancellationToken cancellationToken) =>
        new(RunAsync(id, static (connection, id) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM inbox_items WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            return ReadAll(command) is [var item] ? item : null;
        }, cancellationToken));

    /// <inheritdoc />
    public ValueTask<bool> ReplayAsync(long id, DateTimeOffset now, CancellationToken cancellationToken) =>
        new(RunAsync((id, now), static (connection, s) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "UPDATE inbox_items SET state = 0, attempts = 0, next_attempt_at = $now, completed_at = NULL, lease_id = NULL, lease_expires_at = NULL WHERE id = $id AND state IN (2, 3)";
            command.Parameters.AddWithValue("$id", s.id);
            command.Parameters.AddWithValue("$now", s.now.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken));

    /// <inheritdoc />
    public ValueTask<long> ReplayDeadAsync(DateTimeOffset since, string? receiverName, DateTimeOffset now, CancellationToken cancellationToken) =>
        new(RunAsync((since, receiverName, now), static (connection, s) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                """
                UPDATE inbox_items SET state = 0, attempts = 0, next_attempt_at = $now, completed_at = NULL
                WHERE state = 3 AND received_at >= $since AND ($receiver IS NULL OR receiver = $receiver)
                """;
            command.Parameters.AddWithValue("$now", s.now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$since", s.since.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$receiver", (object?)s.receiverName ?? DBNull.Value);
            return (long)command.ExecuteNonQuery();
        }, cancellationToken));

    /// <inheritdoc />
    public ValueTask<int> PurgeAsync(WebhookInboxState state, DateTimeOffset before, string? receiverName, int maxItems, CancellationToken cancellationToken)
    {
        if (state is not (WebhookInboxState.Processed or WebhookInboxState.Dead))
        {
            return ValueTask.FromResult(0);
        }

        return new(RunAsync((state, before, receiverName, maxItems), static (connection, s) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                """
                DELETE FROM inbox_items WHERE id IN (
                    SELECT id FROM inbox_items
                    WHERE state = $state AND completed_at IS NOT NULL AND completed_at < $before AND ($receiver IS NULL OR receiver = $receiver)
                    ORDER BY completed_at LIMIT $max)
                """;
            command.Parameters.AddWithValue("$state", (int)s.state);
            command.Parameters.AddWithValue("$before", s.before.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$receiver", (object?)s.receiverName ?? DBNull.Value);
            command.Parameters.AddWithValue("$max", s.maxItems);
            return command.ExecuteNonQuery();
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<WebhookInboxStatistics> GetStatisticsAsync(string? receiverName, CancellationToken cancellationToken) =>
        new(RunAsync(receiverName, static (connection, receiverName) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                """
                SELECT
                    (SELECT count(*) FROM inbox_items WHERE state IN (0, 1) AND ($receiver IS NULL OR receiver = $receiver)),
                    (SELECT count(*) FROM inbox_items WHERE state = 3 AND ($receiver IS NULL OR receiver = $receiver)),
                    (SELECT min(received_at) FROM inbox_items WHERE state IN (0, 1) AND ($receiver IS NULL OR receiver = $receiver))
                """;
            command.Parameters.AddWithValue("$receiver", (object?)receiverName ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            reader.Read();
            return new WebhookInboxStatistics(
                reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
        }, cancellationToken));

    /// <inheritdoc />
    public void Dispose()
    {
        _lock.Wait();
        try
        {
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Checks the options; the message says what to change.</summary>
    internal static string? Validate(SqliteWebhookInboxOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return "The SQLite webhook inbox has no connection string: set SqliteWebhookInboxOptions.ConnectionString, for example to 'Data Source=inbox.db'.";
        }

        try
        {
            _ = new SqliteConnectionStringBuilder(options.ConnectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or KeyNotFoundException)
        {
            return $"The SQLite webhook inbox's connection string is not valid: {exception.Message}";
        }

        return options.BusyTimeout < TimeSpan.Zero || options.BusyTimeout.TotalMilliseconds > int.MaxValue
            ? $"The SQLite webhook inbox has BusyTimeout = {options.BusyTimeout}: it must be from zero to {TimeSpan.FromMilliseconds(int.MaxValue)}."
            : null;
    }

    private static List<WebhookInboxItem> ReadAll(SqliteCommand command)
    {
        var items = new List<WebhookInboxItem>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            items.Add(new WebhookInboxItem
            {
                Id = reader.GetInt64(0),
                ReceiverName = reader.GetString(1),
                MessageId = reader.GetString(2),
                EventType = reader.GetString(3),
                Timestamp = Time(reader, 4),
                ReceivedAt = Time(reader, 5)!.Value,
                Body = (byte[])reader.GetValue(6),
                Payload = reader.IsDBNull(7) ? null : (ReadOnlyMemory<byte>?)(byte[])reader.GetValue(7),
                PayloadStart = reader.GetInt32(8),
                PayloadLength = reader.GetInt32(9),
                Headers = reader.GetString(10),
                State = (WebhookInboxState)reader.GetInt32(11),
                Attempts = reader.GetInt32(12),
                NextAttemptAt = Time(reader, 13)!.Value,
                LastError = reader.IsDBNull(14) ? null : reader.GetString(14),
                LeaseId = reader.IsDBNull(15) ? null : reader.GetString(15),
                LeaseExpiresAt = Time(reader, 16),
                CompletedAt = Time(reader, 17),
            });
        }

        return items;
    }

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private ValueTask<bool> Finish(long id, string leaseId, string set, string? error, DateTimeOffset? next, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leaseId);
        return new(RunAsync((id, leaseId, set, error, next, now), static (connection, s) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE inbox_items SET {s.set}, lease_id = NULL, lease_expires_at = NULL WHERE id = $id AND state = 1 AND lease_id = $lease";
            command.Parameters.AddWithValue("$id", s.id);
            command.Parameters.AddWithValue("$lease", s.leaseId);
            command.Parameters.AddWithValue("$now", s.now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$error", (object?)s.error ?? DBNull.Value);
            command.Parameters.AddWithValue("$next", (object?)s.next?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken));
    }

    /// <summary>Runs one operation on the store's connection (opened and migrated at first use), one at a time.</summary>
    private async Task<TResult> RunAsync<TState, TResult>(TState state, Func<SqliteConnection, TState, TResult> work, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work(_connection ??= Open(), state);
        }
        finally
        {
            _lock.Release();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                pragmas.CommandText = string.Create(
                    CultureInfo.InvariantCulture, $"PRAGMA journal_mode=WAL; PRAGMA busy_timeout={_busyTimeoutMs}; PRAGMA synchronous={(_flush ? "FULL" : "NORMAL")};");
                pragmas.ExecuteNonQuery();
            }

            SqliteInboxSchema.Migrate(connection, _time.GetUtcNow().ToUnixTimeMilliseconds());
            return connection;
        }
        catch (SqliteException exception)
        {
            connection.Dispose();
            throw new InvalidOperationException(
                $"The SQLite webhook inbox could not open '{_dataSource}': {exception.Message} Check that the directory exists and is writable, and that the file is a SQLite database.",
                exception);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
