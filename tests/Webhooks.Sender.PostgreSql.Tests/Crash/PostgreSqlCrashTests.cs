using Npgsql;
using Webhooks.Sender.CrashHost.Harness;
using Webhooks.Sender.PostgreSql.Tests.Testing;
using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Xunit.Abstractions;

namespace Webhooks.Sender.PostgreSql.Tests.Crash;

/// <summary>A sender process on PostgreSQL is SIGKILLed mid-run and restarted: nothing is lost, duplicates stay bounded.</summary>
public sealed class PostgreSqlCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    // The crash host takes a connection string only, so the test gets a database of its own (the store's default schema).
    private readonly string _database = "t_crash_" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        await using var command = PostgresTestDatabase.DataSource.CreateCommand($"CREATE DATABASE {_database}");
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await using var command = PostgresTestDatabase.DataSource.CreateCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task KilledMidRun_ThenRestarted_DeliversEveryMessageAtLeastOnceWithBoundedDuplicates()
    {
        var connection = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ConnectionString) { Database = _database }.ConnectionString;
        var scenario = new CrashScenario { Store = "postgres", Connection = connection, Messages = 300, KillAfter = 100 };

        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await scenario.RunAsync();
        output.WriteLine($"{result.DistinctAtKill} of {result.Published} delivered at the kill; {result.Arrivals} requests, {result.Duplicates} duplicates (bound {scenario.MaxDuplicates}); {started.Elapsed.TotalSeconds:F1} s");

        result.ShouldBeCompleteWithBoundedDuplicates(scenario);

        await using var dataSource = NpgsqlDataSource.Create(connection);
        var store = new PostgreSqlWebhookStore(dataSource);
        (await store.CountUnfinishedAsync()).Should().Be(0);
        var succeeded = await store.ListDeliveriesAsync(new() { Status = WebhookDeliveryStatus.Succeeded, Limit = WebhookQuery.MaxLimit });
        succeeded.Items.Should().HaveCount(scenario.Messages);
    }
}
