using Microsoft.Data.Sqlite;
using Npgsql;
using Webhooks.Sender.PostgreSql;
using Webhooks.Sender.Sqlite;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Benchmarks.Sender;

/// <summary>
/// A durable store for a benchmark: SQLite on a file in a fresh temp directory, or PostgreSQL on the server named by
/// <c>WEBHOOKS_TEST_POSTGRES</c> (<c>source .ci/postgres.sh</c> starts a loopback one) in a schema of its own. Disposing
/// deletes the directory or drops the schema.
/// </summary>
internal sealed class BenchmarkStore : IDisposable
{
    private readonly string? _directory;

    public BenchmarkStore(string kind)
    {
        if (kind == "Sqlite")
        {
            _directory = Path.Combine(Path.GetTempPath(), "webhooks-bench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_directory);
            SqliteConnectionString = $"Data Source={Path.Combine(_directory, "webhooks.db")}";
            Store = new SqliteWebhookStore(new SqliteWebhookStoreOptions { ConnectionString = SqliteConnectionString });
        }
        else
        {
            var connectionString = Environment.GetEnvironmentVariable("WEBHOOKS_TEST_POSTGRES")
                ?? throw new InvalidOperationException("Set WEBHOOKS_TEST_POSTGRES to a PostgreSQL connection string (source .ci/postgres.sh starts a loopback server).");
            DataSource = NpgsqlDataSource.Create(connectionString);
            Schema = "bench_" + Guid.NewGuid().ToString("N")[..16];
            Store = new PostgreSqlWebhookStore(DataSource, new PostgreSqlWebhookStoreOptions { Schema = Schema });
        }
    }

    public IWebhookStore Store { get; }

    public string? SqliteConnectionString { get; }

    public NpgsqlDataSource? DataSource { get; }

    public string? Schema { get; }

    public void Dispose()
    {
        if (Store is SqliteWebhookStore sqlite)
        {
            sqlite.Dispose();
            SqliteConnection.ClearAllPools();
            Directory.Delete(_directory!, recursive: true);
        }

        if (DataSource is not null)
        {
            using (var drop = DataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE"))
            {
                drop.ExecuteNonQuery();
            }

            DataSource.Dispose();
        }
    }
}
