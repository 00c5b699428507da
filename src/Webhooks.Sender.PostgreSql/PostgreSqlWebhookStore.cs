using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Sender.PostgreSql.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql;

/// <summary>
/// The scale-out store: subscriptions, messages, deliveries and attempts in PostgreSQL, shared by any number of
/// sender instances. Claims use <c>FOR UPDATE SKIP LOCKED</c> over partial indexes of due rows, so instances never
/// claim the same delivery while its lease runs; a dead instance's leases expire and are claimed by the others.
/// Enqueueing sends <c>NOTIFY</c> so that idle instances listening with <see cref="ListenAsync"/> wake at once.
/// </summary>
/// <remarks>
/// The schema is created or upgraded on first use (or by <see cref="InitializeAsync"/>). The store reads the time from
/// its <see cref="TimeProvider"/>, never from the database clock, so every instance should have a synchronised clock.
/// The store does not dispose the data source it was given.
/// </remarks>
public sealed partial class PostgreSqlWebhookStore : IWebhookStore, IWebhookStoreRetention, IWebhookStoreNotifications
{
    /// <summary>The channel the store notifies on when deliveries become due: <c>webhooks_due</c>. The payload is the schema name.</summary>
    public const string NotificationChannel = "webhooks_due";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _autoMigrate;
    private readonly TimeSpan _reconnectDelay;
    private readonly PostgreSqlCommands _sql;
    private readonly object _initLock = new();
    private Task? _initialized;

    /// <summary>Creates a store over a data source.</summary>
    /// <param name="dataSource">The data source; the store does not dispose it.</param>
    /// <param name="options">The schema and migration options; the defaults when null. The connection string in them is ignored.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public PostgreSqlWebhookStore(NpgsqlDataSource dataSource, PostgreSqlWebhookStoreOptions? options = null, TimeProvider? timeProvider = null, ILogger<PostgreSqlWebhookStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        options ??= new PostgreSqlWebhookStoreOptions();
        var errors = PostgreSqlWebhookStoreOptionsValidator.Validate(options, dataSourceFromServices: true);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _dataSource = dataSource;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _autoMigrate = options.AutoMigrate;
        _reconnectDelay = options.ListenReconnectDelay;
        Schema = options.Schema;
        _sql = new PostgreSqlCommands(PostgreSqlSchema.Quote(options.Schema));
    }

    /// <summary>
    /// Raised, on a background thread, when another instance (or this one) enqueued or rescheduled deliveries in this
    /// store's schema, and after the listening connection was re-established (notifications may have been missed).
    /// Only raised while <see cref="ListenAsync"/> runs. Handlers must be quick and must not throw.
    /// </summary>
    public event EventHandler? DeliveriesDue;

    /// <summary>Raised each time the LISTEN is in place (tests wait for it).</summary>
    internal event EventHandler? ListenerReady;

    /// <summary>Gets the schema that holds the store's tables.</summary>
    public string Schema { get; }

    /// <summary>
    /// Creates or upgrades the schema (or, with <see cref="PostgreSqlWebhookStoreOptions.AutoMigrate"/> off, checks its
    /// version). Called on first use; call it at start-up to fail early. Safe to call from many instances at once.
    /// </summary>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>A task.</returns>
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        lock (_initLock)
        {
            if (_initialized is null || _initialized.IsFaulted || _initialized.IsCanceled)
            {
                _initialized = InitializeCoreAsync(cancellationToken);
            }

            return _initialized;
        }
    }

    /// <summary>
    /// Listens for notifications on <see cref="NotificationChannel"/> until <paramref name="cancellationToken"/> is
    /// cancelled, raising <see cref="DeliveriesDue"/> for this schema's notifications. A broken connection is opened
    /// again after <see cref="PostgreSqlWebhookStoreOptions.ListenReconnectDelay"/>. The hosted service that
    /// <c>UsePostgreSql</c> registers runs it.
    /// </summary>
    /// <param name="cancellationToken">Stops listening.</param>
    /// <returns>A task that completes when listening stopped.</returns>
    public async Task ListenAsync(CancellationToken cancellationToken)
    {
        var reconnected = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand("LISTEN " + NotificationChannel, connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                Log.Listening(_logger, Schema);
                ListenerReady?.Invoke(this, EventArgs.Empty);
                if (reconnected)
                {
                    // Anything published while the connection was down went unheard.
                    RaiseDeliveriesDue();
                }

                while (true)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever broke the connection (server restart, network, failover), listen again: never end the host.
                Log.ListenFailed(_logger, ex, _reconnectDelay);
                reconnected = true;
            }

            try
            {
                await Task.Delay(_reconnectDelay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (string.Equals(e.Payload, Schema, StringComparison.Ordinal))
        {
            RaiseDeliveriesDue();
        }
    }

    private void RaiseDeliveriesDue()
    {
        try
        {
            DeliveriesDue?.Invoke(this, EventArgs.Empty);
        }
        catch (Exception ex)
        {
            Log.WakeHandlerFailed(_logger, ex);
        }
    }

    private async Task InitializeCoreAsync(CancellationToken cancellationToken)
    {
        if (_autoMigrate)
        {
            var before = await PostgreSqlSchema.MigrateAsync(_dataSource, Schema, cancellationToken).ConfigureAwait(false);
            if (before < PostgreSqlSchema.CurrentVersion)
            {
                Log.SchemaMigrated(_logger, Schema, before, PostgreSqlSchema.CurrentVersion);
            }
        }
        else
        {
            await PostgreSqlSchema.VerifyAsync(_dataSource, Schema, cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        var init = _initialized;
        return init is { IsCompletedSuccessfully: true } ? ValueTask.CompletedTask : new ValueTask(InitializeAsync(cancellationToken));
    }

    private async ValueTask<NpgsqlCommand> CommandAsync(string sql, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return _dataSource.CreateCommand(sql);
    }

    private DateTimeOffset Now() => _time.GetUtcNow().ToUniversalTime();

    private static NpgsqlParameter Param(string name, object? value, NpgsqlDbType type) => new(name, type) { Value = value ?? DBNull.Value };

    private static DateTimeOffset Utc(DateTimeOffset value) => value.ToUniversalTime();
}
