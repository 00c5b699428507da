using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Webhooks.Sender.PostgreSql.Tests.Testing;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql.Tests;

/// <summary>An application role granted only what it needs (USAGE on the schema, DML on its tables) starts the store.</summary>
public sealed class PostgreSqlLeastPrivilegeTests : IAsyncLifetime
{
    private readonly PostgresSchemas _schemas = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly string _role = "webhooks_app_" + Guid.NewGuid().ToString("N")[..12];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await ExecuteAsync($"""
            DO $$ BEGIN
                IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{_role}') THEN
                    DROP OWNED BY {_role};
                    DROP ROLE {_role};
                END IF;
            END $$;
            """);
        await _schemas.DisposeAsync();
    }

    [Fact]
    public async Task Initialize_WithAutoMigrateAsARoleWithOnlyUsageAndDmlOnAnUpToDateSchema_StartsAndDelivers()
    {
        var schema = _schemas.New();
        await _schemas.NewStoreAsync(_time, schema);
        await ExecuteAsync($"""
            CREATE ROLE {_role} LOGIN;
            GRANT USAGE ON SCHEMA "{schema}" TO {_role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO {_role};
            """);
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ConnectionString) { Username = _role, Pooling = false }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new PostgreSqlWebhookStore(dataSource, PostgresTestDatabase.Options(schema), _time);

        await store.InitializeAsync();

        var data = new StoreData(_time);
        await data.EnqueueAsync(store, "sub_a");
        var claim = (await store.ClaimAsync(StoreData.Claim(1, "w"))).Single();
        (await store.CompleteAsync(data.Completion(claim, WebhookDeliveryStatus.Succeeded))).Should().Be(WebhookCompletionResult.Completed);
        await using var create = dataSource.CreateCommand($"CREATE TABLE \"{schema}\".probe (i integer)");
        var act = () => create.ExecuteNonQueryAsync();
        (await act.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege, "the role really has no CREATE");
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var command = PostgresTestDatabase.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
