using Microsoft.Data.Sqlite;

namespace Webhooks.Sender.Sqlite.Tests;

/// <summary>A database file in a fresh temporary directory, deleted (with its -wal and -shm files) on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly string _directory;

    public TempDatabase()
    {
        _directory = Path.Combine(Path.GetTempPath(), "webhooks-sqlite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        FilePath = Path.Combine(_directory, "webhooks.db");
    }

    public string FilePath { get; }

    public string ConnectionString => $"Data Source={FilePath}";

    public SqliteWebhookStore CreateStore(TimeProvider? time = null) =>
        new(new SqliteWebhookStoreOptions { ConnectionString = ConnectionString }, time);

    /// <summary>Opens a plain connection on the file, for looking at it as a tool would.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString + ";Pooling=False");
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
