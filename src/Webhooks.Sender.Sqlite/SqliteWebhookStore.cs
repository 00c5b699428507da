using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Webhooks.Sender.Sqlite.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Sqlite;

/// <summary>
/// The embedded durable store: one SQLite file (WAL mode), for a sender running in a single process. Undelivered
/// webhooks survive restarts and crashes; the schema is created and upgraded at first use.
/// </summary>
/// <remarks>
/// <para>
/// SQLite allows one writer at a time, so the store serializes its writes through one connection, each operation one
/// short <c>BEGIN IMMEDIATE</c> transaction; reads run on their own pooled connections and are not blocked by writes
/// (WAL). Claims and the next due time are range scans over partial indexes of unfinished deliveries, so their cost
/// does not grow with the backlog. Run one sender process per file; use the PostgreSQL store for several instances.
/// </para>
/// <para>
/// The file holds the subscriptions' signing secrets in their encoded form: restrict access to it (and to its
/// <c>-wal</c> and <c>-shm</c> companions and backups) as you would to any secret store.
/// </para>
/// </remarks>
public sealed partial class SqliteWebhookStore : IWebhookStore, IWebhookStoreRetention, IWebhookStoreGroupEnqueue, IAsyncDisposable, IDisposable
{
    private readonly string _connectionString;
    private readonly string _dataSource;
    private readonly bool _readsOnWriter;
    private readonly int _busyTimeoutMs;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile SqliteConnection? _writer;
    private volatile bool _disposed;

    /// <summary>Creates a store on the database named by <see cref="SqliteWebhookStoreOptions.ConnectionString"/>. Nothing is opened until first use.</summary>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <exception cref="ArgumentException">The options are not valid; the message says what to change.</exception>
    public SqliteWebhookStore(SqliteWebhookStoreOptions options, TimeProvider? timeProvider = null, ILogger<SqliteWebhookStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = SqliteWebhookStoreOptionsValidator.Check(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        SqliteWebhookStoreOptionsValidator.TryParseConnectionString(options.ConnectionString, out var builder, out _);

        // Pooling keeps reader connections open between calls; the writer is held for the store's lifetime.
        builder.Pooling = true;
        _connectionString = builder.ToString();
        _dataSource = builder.DataSource;

        // A private in-memory or temporary database exists only on its one connection: everything must go through it.
        _readsOnWriter = builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory;
        _busyTimeoutMs = (int)options.BusyTimeout.TotalMilliseconds;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Gets the database file (the connection string's data source).</summary>
    public string DataSource => _dataSource;

    /// <summary>
    /// Opens the database and creates or upgrades its schema now, instead of at first use; the sender calls it at start
    /// so a file that cannot be opened stops the app at once.
    /// </summary>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>A task.</returns>
    /// <exception cref="InvalidOperationException">The file cannot be opened, or was written by a newer version of the store.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_writer is not null)
        {
            return;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            GetWriter();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _writeLock.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_writer is { } writer)
            {
                try
                {
                    // Keeps the planner's statistics fresh for the next run (cheap; only analyzes what changed a lot).
                    using var optimize = writer.Command("PRAGMA optimize");
                    optimize.ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                    // Best effort on the way out.
                }

                writer.DisposeStatements();
                SqliteConnection.ClearPool(writer);
                writer.Dispose();
                _writer = null;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Runs <paramref name="work"/> in one <c>BEGIN IMMEDIATE</c> transaction on the writer, committed when it returns.</summary>
    private async Task<TResult> WriteAsync<TState, TResult>(TState state, Func<SqliteConnection, SqliteTransaction, TState, TResult> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var connection = GetWriter();
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = work(connection, transaction, state);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a reader connection (a snapshot of the last committed state).</summary>
    private async Task<TResult> ReadAsync<TState, TResult>(TState state, Func<SqliteConnection, TState, TResult> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is null || _readsOnWriter)
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var writer = GetWriter();
                if (_readsOnWriter)
                {
                    return work(writer, state);
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }

        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return work(connection, state);
    }

    /// <summary>Opens the writer and migrates the schema on first use. Call under the write lock.</summary>
    private SqliteConnection GetWriter()
    {
        if (_writer is { } existing)
        {
            return existing;
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            if (!_readsOnWriter)
            {
                using var wal = connection.Command("PRAGMA journal_mode=WAL");
                var mode = Convert.ToString(wal.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    Log.NotWal(_logger, _dataSource, mode);
                }
            }

            // NORMAL is durable in WAL mode except for the last transactions before a power loss (never corrupt); a
            // process crash loses nothing.
            using (var pragmas = connection.Command($"PRAGMA busy_timeout={_busyTimeoutMs}; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=8192; PRAGMA journal_size_limit=67108864;"))
            {
                pragmas.ExecuteNonQuery();
            }

            foreach (var migration in SqliteSchema.Migrate(connection, Now()))
            {
                Log.Migrated(_logger, _dataSource, migration.Version, migration.Description);
            }
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new InvalidOperationException(
                $"The SQLite webhook store could not open '{_dataSource}': {ex.Message} Check that the directory exists and is writable, and that the file is a SQLite database.",
                ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _writer = connection;
        return connection;
    }
}
