using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Webhooks.Sender;
using Webhooks.Sender.Storage;

namespace Webhooks.LoadHarness.Load;

/// <summary>
/// One of the sender's stores at named locations: an in-memory store per name, a SQLite file per name in the temp folder,
/// or a schema per name in the harness's throwaway PostgreSQL database. Everything it creates is removed on dispose.
/// </summary>
internal sealed class StoreTarget : IAsyncDisposable
{
    private readonly HashSet<string> _files = [];
    private readonly Dictionary<string, InMemoryWebhookStore> _memory = new(StringComparer.Ordinal);
    private readonly PostgresDatabase? _database;
    private int _runs;

    private StoreTarget(string name, PostgresDatabase? database)
    {
        Name = name;
        _database = database;
    }

    public string Name { get; }

    public static async Task<StoreTarget> CreateAsync(string name, HarnessOptions options) =>
        new(name, name == "postgres" ? await PostgresDatabase.CreateAsync(options.PostgresConnectionString).ConfigureAwait(false) : null);

    /// <summary>Points the sender at a fresh store for the next run, or at the last run's store again.</summary>
    public void Configure(IWebhookSenderBuilder builder, bool fresh = true)
    {
        var run = fresh ? Interlocked.Increment(ref _runs) : _runs;
        Configure(builder, string.Create(CultureInfo.InvariantCulture, $"run{run}"));
    }

    /// <summary>Points the sender at the store named <paramref name="location"/> (created on first use).</summary>
    public void Configure(IWebhookSenderBuilder builder, string location)
    {
        switch (Name)
        {
            case "sqlite":
                builder.UseSqlite($"Data Source={SqlitePath(location)}");
                break;
            case "postgres":
                PostgresStore.Configure(builder, _database!.ConnectionString, location);
                break;
            default:
                if (!_memory.TryGetValue(location, out var memory))
                {
                    _memory[location] = memory = new InMemoryWebhookStore();
                }

                builder.UseStore(_ => memory);
                break;
        }
    }

    /// <summary>
    /// Copies the one pending delivery (and its message) of the store at <paramref name="location"/> until it holds
    /// <paramref name="total"/> pending deliveries, in SQL and in chunks: far faster than publishing them one by one.
    /// </summary>
    public async Task FillAsync(string location, int total, TextWriter log)
    {
        const int Chunk = 50_000;
        for (var from = 1; from < total; from += Chunk)
        {
            var to = Math.Min(total - 1, from + Chunk - 1);
            switch (Name)
            {
                case "sqlite":
                    await using (var connection = new SqliteConnection($"Data Source={SqlitePath(location)};Pooling=False"))
                    {
                        await connection.OpenAsync().ConfigureAwait(false);
                        await using var command = connection.CreateCommand();
                        command.CommandText = """
                            PRAGMA busy_timeout = 30000;
                            BEGIN IMMEDIATE;
                            WITH RECURSIVE seq(x) AS (SELECT $from UNION ALL SELECT x + 1 FROM seq WHERE x < $to)
                            INSERT INTO messages (id, tenant_id, event_type, payload, idempotency_key, trace_parent, trace_state, created_at)
                            SELECT m.id || '_' || x, m.tenant_id, m.event_type, m.payload, NULL, NULL, NULL, m.created_at
                            FROM seq, (SELECT * FROM messages ORDER BY id LIMIT 1) m;
                            WITH RECURSIVE seq(x) AS (SELECT $from UNION ALL SELECT x + 1 FROM seq WHERE x < $to)
                            INSERT INTO deliveries (id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, created_at)
                            SELECT d.id || '_' || x, d.message_id || '_' || x, d.subscription_id, d.tenant_id, d.event_type, 0, 0, d.next_attempt_at, d.created_at
                            FROM seq, (SELECT * FROM deliveries ORDER BY id LIMIT 1) d;
                            WITH RECURSIVE seq(x) AS (SELECT $from UNION ALL SELECT x + 1 FROM seq WHERE x < $to)
                            INSERT INTO delivery_queue (delivery_id, subscription_id, tenant_id, attempt_count, next_attempt_at, in_flight)
                            SELECT d.id || '_' || x, d.subscription_id, d.tenant_id, 0, d.next_attempt_at, 0
                            FROM seq, (SELECT * FROM deliveries ORDER BY id LIMIT 1) d;
                            COMMIT;
                            """;
                        command.Parameters.AddWithValue("$from", from);
                        command.Parameters.AddWithValue("$to", to);
                        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
                    }

                    break;
                case "postgres":
                    await using (var connection = new NpgsqlConnection(_database!.ConnectionString))
                    {
                        await connection.OpenAsync().ConfigureAwait(false);
                        var s = "\"" + location + "\"";
                        await using var command = new NpgsqlCommand(
                            $"""
                            INSERT INTO {s}.messages (id, tenant_id, event_type, payload, created_at)
                            SELECT m.id || '_' || x, m.tenant_id, m.event_type, m.payload, m.created_at
                            FROM generate_series(@from, @to) x, (SELECT * FROM {s}.messages ORDER BY id LIMIT 1) m;
                            INSERT INTO {s}.deliveries (id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, created_at)
                            SELECT d.id || '_' || x, d.message_id || '_' || x, d.subscription_id, d.tenant_id, d.event_type, 0, 0, d.next_attempt_at, d.created_at
                            FROM generate_series(@from, @to) x, (SELECT * FROM {s}.deliveries ORDER BY id LIMIT 1) d;
                            INSERT INTO {s}.delivery_queue (delivery_id, subscription_id, tenant_id, status, attempt_count, next_attempt_at)
                            SELECT d.id || '_' || x, d.subscription_id, d.tenant_id, 0, 0, d.next_attempt_at
                            FROM generate_series(@from, @to) x, (SELECT * FROM {s}.deliveries ORDER BY id LIMIT 1) d;
                            """,
                            connection);
                        command.CommandTimeout = 600;
                        command.Parameters.AddWithValue("from", from);
                        command.Parameters.AddWithValue("to", to);
                        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
                    }

                    break;
                default:
                    throw new NotSupportedException("The in-memory store is filled by publishing.");
            }

            if (to % 200_000 < Chunk)
            {
                log.WriteLine($"  {Name} {location}: {to + 1} pending");
            }
        }

        if (Name == "postgres")
        {
            await using var connection = new NpgsqlConnection(_database!.ConnectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            await using var analyze = new NpgsqlCommand($"ANALYZE \"{location}\".deliveries; ANALYZE \"{location}\".messages;", connection);
            analyze.CommandTimeout = 600;
            await analyze.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in _files)
        {
            foreach (var suffix in (string[])["", "-wal", "-shm"])
            {
                File.Delete(file + suffix);
            }
        }

        if (_database is not null)
        {
            await _database.DisposeAsync().ConfigureAwait(false);
        }
    }

    private string SqlitePath(string location)
    {
        var path = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"webhooks-harness-{Environment.ProcessId}-{location}.db"));
        _files.Add(path);
        return path;
    }
}
