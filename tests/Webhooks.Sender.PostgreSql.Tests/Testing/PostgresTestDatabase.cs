using Npgsql;
using Webhooks.Sender.PostgreSql;

namespace Webhooks.Sender.PostgreSql.Tests.Testing;

/// <summary>
/// The PostgreSQL server the tests use, from <c>WEBHOOKS_TEST_POSTGRES</c>. Without it the tests are skipped locally
/// (see <see cref="PostgresTestFramework"/>) and fail in CI. Every test works in its own schema, dropped afterwards.
/// </summary>
public static class PostgresTestDatabase
{
    public const string Variable = "WEBHOOKS_TEST_POSTGRES";

    private static readonly Lazy<NpgsqlDataSource> Shared = new(() => NpgsqlDataSource.Create(ConnectionString));

    /// <summary>Gets why the tests are skipped, or <see langword="null"/> when they run (a server is configured, or this is CI).</summary>
    public static string? SkipReason =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)) || IsCi
            ? null
            : $"PostgreSQL tests need a server: set {Variable} (for example 'Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres'), or run .ci/run, which starts one with .ci/postgres.sh.";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set, but CI=true: the PostgreSQL tests need the server that .ci/postgres.sh starts.");

    public static NpgsqlDataSource DataSource => Shared.Value;

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string NewSchemaName() => "t_" + Guid.NewGuid().ToString("N")[..20];

    public static PostgreSqlWebhookStoreOptions Options(string schema) => new() { Schema = schema, ListenReconnectDelay = TimeSpan.FromMilliseconds(200) };

    public static async Task DropSchemaAsync(string schema)
    {
        await using var command = DataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Creates stores in fresh schemas and drops them all at the end of the test.</summary>
public sealed class PostgresSchemas : IAsyncDisposable
{
    private readonly List<string> _schemas = [];

    public string New()
    {
        var name = PostgresTestDatabase.NewSchemaName();
        lock (_schemas)
        {
            _schemas.Add(name);
        }

        return name;
    }

    public async Task<PostgreSqlWebhookStore> NewStoreAsync(TimeProvider time, string? schema = null)
    {
        var store = new PostgreSqlWebhookStore(PostgresTestDatabase.DataSource, PostgresTestDatabase.Options(schema ?? New()), time);
        await store.InitializeAsync();
        return store;
    }

    /// <summary>Creates <paramref name="count"/> stores on one new schema, as separate sender instances would have.</summary>
    public async Task<IReadOnlyList<PostgreSqlWebhookStore>> NewInstancesAsync(TimeProvider time, int count)
    {
        var schema = New();
        var stores = new PostgreSqlWebhookStore[count];
        for (var i = 0; i < count; i++)
        {
            stores[i] = await NewStoreAsync(time, schema);
        }

        return stores;
    }

    public async ValueTask DisposeAsync()
    {
        string[] schemas;
        lock (_schemas)
        {
            schemas = [.. _schemas];
        }

        foreach (var schema in schemas)
        {
            await PostgresTestDatabase.DropSchemaAsync(schema);
        }
    }
}
