using System.Globalization;
using Npgsql;

namespace Webhooks.LoadHarness.Load;

/// <summary>A throwaway database on the PostgreSQL server, created for one harness run and dropped after it.</summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _server;

    private PostgresDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 100 }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>Whether the server answers on loopback within a few seconds.</summary>
    public static async Task<string?> ProbeAsync(string server)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(server) { Timeout = 3, Database = "postgres" };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return ex.Message;
        }
    }

    public static async Task<PostgresDatabase> CreateAsync(string server)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"webhooks_harness_{Environment.ProcessId}_{DateTime.UtcNow:HHmmssfff}");
        await ExecuteAsync(server, $"CREATE DATABASE {name}").ConfigureAwait(false);
        return new PostgresDatabase(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)").ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
