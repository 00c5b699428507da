using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Receiver.Inbox;
using Webhooks.Receiver.PostgreSql.Internal;

namespace Webhooks.Receiver.PostgreSql;

/// <summary>
/// The scale-out inbox: accepted webhooks in one PostgreSQL table shared by any number of receiver instances. Claims
/// use <c>FOR UPDATE SKIP LOCKED</c> over an index of due rows, so instances never claim the same item while its lease
/// runs; a dead instance's items are claimed by the others once their leases run out.
/// </summary>
/// <remarks>
/// The store reads the time from the caller (the processor's <see cref="TimeProvider"/>), never from the database clock,
/// so every instance should have a synchronised clock. It does not dispose the data source it was given.
/// </remarks>
public sealed partial class PostgreSqlWebhookInboxStore : IWebhookInboxStore
{
    private const string Columns =
        "id, receiver, message_id, event_type, sent_at, received_at, body, payload, payload_start, payload_length, headers, state, attempts, next_attempt_at, last_error, lease_id, lease_expires_at, completed_at";

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _autoMigrate;
    private readonly string _table;
    private readonly object _initLock = new();
    private Task? _initialized;

    /// <summary>Creates a store over a data source.</summary>
    /// <param name="dataSource">The data source; the store does not dispose it.</param>
    /// <param name="options">The schema and migration options; the defaults when null. Its connection string and data source are ignored.</param>
    /// <exception cref="ArgumentException">The schema name is not valid.</exception>
    public PostgreSqlWebhookInboxStore(NpgsqlDataSource dataSource, PostgreSqlWebhookInboxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        options ??= new PostgreSqlWebhookInboxOptions();
        if (ValidateSchema(options.Schema) is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        _dataSource = dataSource;
        _autoMigrate = options.AutoMigrate;
        Schema = options.Schema;
        _table = PostgreSqlInboxSchema.Quote(options.Schema) + ".inbox_items";
    }

    /// <summary>Gets the schema that holds the inbox's tables.</summary>
    public string Schema { get; }

    /// <summary>Creates or upgrades the tables (or, with AutoMigrate off, checks their version); called on first use.</summary>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>A task.</returns>
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        lock (_initLock)
        {
            if (_initialized is null || _initialized.IsFaulted || _initialized.IsCanceled)
            {
                _initialized = PostgreSqlInboxSchema.MigrateAsync(_dataSource, Schema, _autoMigrate, cancellationToken);
            }

            return _initialized;
        }
    }

    /// <inheritdoc />
    public async ValueTask<WebhookInboxAddResult> AddAsync(WebhookInboxEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = await CommandAsync(
            $"""
            INSERT INTO {_table} (receiver, message_id, event_type, sent_at, received_at, body, payload, payload_start, payload_length, headers, state, attempts, next_attempt_at)
            VALUES (@receiver, @message_id, @event_type, @sent_at, @received_at, @body, @payload, @payload_start, @payload_length, @headers, 0, 0, @received_at)
            ON CONFLICT (receiver, message_id) DO NOTHING
            """,
            cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("receiver", Storable(entry.ReceiverName));
        command.Parameters.AddWithValue("message_id", Storable(entry.MessageId));
        command.Parameters.AddWithValue("event_type", Storable(entry.EventType));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("sent_at", NpgsqlDbType.TimestampTz) { TypedValue = entry.Timestamp?.ToUniversalTime() });
        command.Parameters.AddWithValue("received_at", entry.ReceivedAt.ToUniversalTime());
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("body", NpgsqlDbType.Bytea) { TypedValue = entry.Body });
        command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Bytea) { Value = entry.Payload is { } payload ? payload.ToArray() : DBNull.Value });
        command.Parameters.AddWithValue("payload_start", entry.PayloadStart);
        command.Parameters.AddWithValue("payload_length", entry.PayloadLength);
        command.Parameters.AddWithValue("headers", Storable(entry.Headers));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? WebhookInboxAddResult.Added : WebhookInboxAddResult.Duplicate;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<WebhookInboxItem>> ClaimAsync(string receiverName, string leaseId, int maxItems, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiverName);
        ArgumentNullException.ThrowIfNull(leaseId);
        await using var command = await CommandAsync(
            $"""
            WITH due AS (
                SELECT id FROM {_table}
                WHERE receiver = @receiver AND due_at IS NOT NULL AND due_at <= @now
                ORDER BY due_at, id LIMIT @max
                FOR UPDATE SKIP LOCKED)
            UPDATE {_table} AS i SET state = 1, attempts = i.attempts + 1, lease_id = @lease, lease_expires_at = @expires
            FROM due WHERE i.id = due.id
            RETURNING {Prefixed("i.")}
            """,
            cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("receiver", Storable(receiverName));
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.AddWithValue("max", maxItems);
        command.Parameters.AddWithValue("lease", leaseId);
        command.Parameters.AddWithValue("expires", (now + lease).ToUniversalTime());
        var items = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        items.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return items;
    }

    /// <inheritdoc />
    public ValueTask<bool> CompleteAsync(long id, string leaseId, DateTimeOffset now, CancellationToken cancellationToken) =>
        FinishAsync(id, leaseId, "state = 2, completed_at = @now", error: null, next: null, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> FailAsync(long id, string leaseId, string error, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        FinishAsync(
            id,
            leaseId,
            nextAttemptAt is null ? "state = 3, completed_at = @now, last_error = @error" : "state = 0, next_attempt_at = @next, last_error = @error",
            Storable(error ?? string.Empty),
            nextAttemptAt,
            now,
            cancellationToken);

    /// <inheritdoc />
    public async ValueTask<WebhookInboxPage> ListAsync(WebhookInboxQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = await CommandAsync(
            $"""
            SELECT {Columns} FROM {_table}
            WHERE id > @after AND (@state::smallint IS NULL OR state = @state) AND (@receiver::text IS NULL OR receiver = @receiver)
            ORDER BY id LIMIT @limit
            """,
            cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("after", query.After ?? 0);
        command.Parameters.Add(new NpgsqlParameter<short?>("state", NpgsqlDbType.Smallint) { TypedValue = query.State is { } state ? (short)state : null });
        command.Parameters.Add(new NpgsqlParameter<string?>("receiver", NpgsqlDbType.Text) { TypedValue = query.ReceiverName is null ? null : Storable(query.ReceiverName) });
        command.Parameters.AddWithValue("limit", query.Limit + 1);
        var items = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        var more = items.Count > query.Limit;
        if (more)
        {
            items.RemoveAt(items.Count - 1);
        }

        return new WebhookInboxPage(items, more ? items[^1].Id : null);
    }

    /// <inheritdoc />
    public async ValueTask<WebhookInboxItem?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync($"SELECT {Columns} FROM {_table} WHERE id = @id", cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("id", id);
        return (await ReadAllAsync(command, cancellationToken).ConfigureAwait(false)) is [var item] ? item : null;
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReplayAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            $"UPDATE {_table} SET state = 0, attempts = 0, next_attempt_at = @now, completed_at = NULL, lease_id = NULL, lease_expires_at = NULL WHERE id = @id AND state IN (2, 3)",
            cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<long> ReplayDeadAsync(DateTimeOffset since, string? receiverName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            $"""
            UPDATE {_table} SET state = 0, attempts = 0, next_attempt_at = @now, completed_at = NULL
            WHERE state = 3 AND received_at >= @since AND (@receiver::text IS NULL OR receiver = @receiver)
            """,
            cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.AddWithValue("since", since.ToUniversalTime());
        command.Parameters.Add(new NpgsqlParameter<string?>("receiver", NpgsqlDbType.Text) { TypedValue = receiverName is null ? null : Storable(receiverName) });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<int> PurgeAsync(WebhookInboxState state, DateTimeOffset before, string? receiverName, int maxItems, CancellationToken cancellationToken)
    {
        if (state is not (WebhookInboxState.Processed or WebhookInboxState.Dead))
        {
            return 0;
        }

        await using var command = await CommandAsync(
            $"""
            DELETE FROM {_table} WHERE id IN (
                SELECT id FROM {_table}
                WHERE state = @state AND completed_at IS NOT NULL AND completed_at < @before AND (@receiver::text IS NULL OR receiver = @receiver)
                ORDER BY completed_at LIMIT @max)
            """,
            cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("state", (short)state);
        command.Parameters.AddWithValue("before", before.ToUniversalTime());
        command.Parameters.Add(new NpgsqlParameter<string?>("receiver", NpgsqlDbType.Text) { TypedValue = receiverName is null ? null : Storable(receiverName) });
        command.Parameters.AddWithValue("max", maxItems);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<WebhookInboxStatistics> GetStatisticsAsync(string? receiverName, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            $"""
            SELECT count(*) FILTER (WHERE state IN (0, 1)), count(*) FILTER (WHERE state = 3), min(received_at) FILTER (WHERE state IN (0, 1))
            FROM {_table} WHERE state IN (0, 1, 3) AND (@receiver::text IS NULL OR receiver = @receiver)
            """,
            cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string?>("receiver", NpgsqlDbType.Text) { TypedValue = receiverName is null ? null : Storable(receiverName) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new WebhookInboxStatistics(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
    }

    /// <summary>Checks a schema name; the message says what to change.</summary>
    internal static string? ValidateSchema(string? schema) =>
        schema is not null && SchemaName().IsMatch(schema)
            ? null
            : $"The PostgreSQL webhook inbox schema '{schema}' is not valid: use letters, digits and underscores, starting with a letter or an underscore, at most 63 characters.";

    /// <summary>PostgreSQL text cannot hold NUL: it becomes U+FFFD.</summary>
    private static string Storable(string text) => text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\uFFFD') : text;

    private static string Prefixed(string prefix) => prefix + Columns.Replace(", ", ", " + prefix, StringComparison.Ordinal);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();

    private async ValueTask<bool> FinishAsync(long id, string leaseId, string set, string? error, DateTimeOffset? next, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leaseId);
        await using var command = await CommandAsync(
            $"UPDATE {_table} SET {set}, lease_id = NULL, lease_expires_at = NULL WHERE id = @id AND state = 1 AND lease_id = @lease",
            cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("lease", leaseId);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.Add(new NpgsqlParameter<string?>("error", NpgsqlDbType.Text) { TypedValue = error });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("next", NpgsqlDbType.TimestampTz) { TypedValue = next?.ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private async ValueTask<NpgsqlCommand> CommandAsync(string sql, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return _dataSource.CreateCommand(sql);
    }

    private static async Task<List<WebhookInboxItem>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var items = new List<WebhookInboxItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new WebhookInboxItem
            {
                Id = reader.GetInt64(0),
                ReceiverName = reader.GetString(1),
                MessageId = reader.GetString(2),
                EventType = reader.GetString(3),
                Timestamp = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                ReceivedAt = reader.GetFieldValue<DateTimeOffset>(5),
                Body = reader.GetFieldValue<byte[]>(6),
                Payload = reader.IsDBNull(7) ? null : (ReadOnlyMemory<byte>?)reader.GetFieldValue<byte[]>(7),
                PayloadStart = reader.GetInt32(8),
                PayloadLength = reader.GetInt32(9),
                Headers = reader.GetString(10),
                State = (WebhookInboxState)reader.GetInt16(11),
                Attempts = reader.GetInt32(12),
                NextAttemptAt = reader.GetFieldValue<DateTimeOffset>(13),
                LastError = reader.IsDBNull(14) ? null : reader.GetString(14),
                LeaseId = reader.IsDBNull(15) ? null : reader.GetString(15),
                LeaseExpiresAt = reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16),
                CompletedAt = reader.IsDBNull(17) ? null : reader.GetFieldValue<DateTimeOffset>(17),
            });
        }

        return items;
    }
}
