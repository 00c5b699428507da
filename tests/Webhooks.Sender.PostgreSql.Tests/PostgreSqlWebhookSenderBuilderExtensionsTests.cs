using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Sender.PostgreSql.Tests.Testing;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql.Tests;

public sealed class PostgreSqlWebhookSenderBuilderExtensionsTests : IAsyncLifetime
{
    private readonly PostgresSchemas _schemas = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schemas.DisposeAsync();

    [Fact]
    public async Task UsePostgreSql_WithAConnectionString_RegistersTheStoreAndCreatesTheSchemaAtStart()
    {
        var schema = _schemas.New();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddWebhookSender(o => o.DispatcherEnabled = false).UsePostgreSql(PostgresTestDatabase.ConnectionString);
        builder.Services.Configure<PostgreSqlWebhookStoreOptions>(o => o.Schema = schema);
        using var host = builder.Build();

        await host.StartAsync();
        var store = host.Services.GetRequiredService<IWebhookStore>();
        var retention = host.Services.GetRequiredService<IWebhookStoreRetention>();
        var version = await ScalarAsync($"SELECT max(version) FROM \"{schema}\".schema_version");
        await host.StopAsync();

        store.Should().BeOfType<PostgreSqlWebhookStore>().Which.Schema.Should().Be(schema);
        retention.Should().BeSameAs(store);
        version.Should().Be(Internal.PostgreSqlSchema.CurrentVersion);
    }

    [Fact]
    public void ReadmeSnippets_ConfigureTheStore_LaterConfigurationWins()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Webhooks"] = PostgresTestDatabase.ConnectionString,
            ["Webhooks:Sender:PostgreSql:Schema"] = "from_config",
            ["Webhooks:Sender:PostgreSql:RetentionInterval"] = "00:10:00",
            ["Webhooks:Sender:PostgreSql:RetentionBatchPause"] = "00:00:00.050",
            ["Webhooks:Sender:PostgreSql:RetentionMaxPerRun"] = "200000",
        });

        // docs/stores.md "PostgreSQL": the snippets, in order.
        builder.Services.AddWebhookSender()
            .UsePostgreSql(builder.Configuration.GetConnectionString("Webhooks")!);

        builder.Services.AddWebhookSender().UsePostgreSql();

        builder.Services.AddWebhookSender().UsePostgreSql(o =>
        {
            o.ConnectionString = "Host=db;Database=app;Username=app;Password=...";
            o.Schema = "webhooks";                          // the default
            o.SucceededRetention = TimeSpan.FromDays(3);    // default 7 days; null keeps everything
        });

        builder.Services.AddWebhookSender()
            .UsePostgreSql(builder.Configuration.GetSection(PostgreSqlWebhookStoreOptions.SectionName));

        using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<PostgreSqlWebhookStoreOptions>>().Value;
        options.ConnectionString.Should().Be("Host=db;Database=app;Username=app;Password=...");
        options.Schema.Should().Be("from_config");
        options.SucceededRetention.Should().Be(TimeSpan.FromDays(3));
        options.RetentionInterval.Should().Be(TimeSpan.FromMinutes(10));
        options.RetentionBatchPause.Should().Be(TimeSpan.FromMilliseconds(50));
        options.RetentionMaxPerRun.Should().Be(200_000);
        host.Services.GetServices<IHostedService>().Count(s => s.GetType().Name == "PostgreSqlWebhookStoreService").Should().Be(1);
    }

    [Fact]
    public async Task UsePostgreSql_WithoutArguments_UsesTheDataSourceFromTheContainer()
    {
        var schema = _schemas.New();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(PostgresTestDatabase.DataSource);
        builder.Services.AddWebhookSender(o => o.DispatcherEnabled = false).UsePostgreSql();
        builder.Services.Configure<PostgreSqlWebhookStoreOptions>(o => o.Schema = schema);
        using var host = builder.Build();

        await host.StartAsync();
        var tables = await ScalarAsync($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{schema}'");
        await host.StopAsync();

        tables.Should().Be(7); // schema_version, subscriptions, messages, deliveries, delivery_queue, attempts and the delivery_state view
    }

    [Fact]
    public async Task UsePostgreSql_WithNoDatabaseAndABadSchema_FailsAtStartNamingBoth()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddWebhookSender().UsePostgreSql(o => o.Schema = "Bad-Schema");
        using var host = builder.Build();

        var act = () => host.StartAsync();

        var error = (await act.Should().ThrowAsync<OptionsValidationException>()).Which;
        error.Message.Should().Contain("ConnectionString").And.Contain("'Bad-Schema'");
    }

    [Fact]
    public void UsePostgreSql_WithAConnectionString_TheContainerDisposesItsDataSourceSynchronouslyToo()
    {
        var services = new ServiceCollection();
        services.AddWebhookSender().UsePostgreSql(PostgresTestDatabase.ConnectionString);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IWebhookStore>().Should().BeOfType<PostgreSqlWebhookStore>();

        var act = provider.Dispose;

        act.Should().NotThrow();
    }

    [Fact]
    public async Task InitializeAsync_ManyInstancesAtOnce_MigrateOnce()
    {
        var schema = _schemas.New();
        var stores = Enumerable.Range(0, 6).Select(_ => new PostgreSqlWebhookStore(PostgresTestDatabase.DataSource, PostgresTestDatabase.Options(schema))).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync())));

        (await ScalarAsync($"SELECT count(*) FROM \"{schema}\".schema_version")).Should().Be(Internal.PostgreSqlSchema.CurrentVersion, "each migration runs once");
    }

    [Fact]
    public async Task InitializeAsync_WithoutAutoMigrateOnAMissingSchema_SaysWhatToDo()
    {
        var options = PostgresTestDatabase.Options(_schemas.New());
        options.AutoMigrate = false;
        var store = new PostgreSqlWebhookStore(PostgresTestDatabase.DataSource, options);

        var act = () => store.InitializeAsync();

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*does not exist*AutoMigrate*");
    }

    [Fact]
    public void Constructor_WithAnInvalidSchemaName_ThrowsArgumentException()
    {
        var act = () => new PostgreSqlWebhookStore(PostgresTestDatabase.DataSource, new PostgreSqlWebhookStoreOptions { Schema = "x; DROP TABLE y" });

        act.Should().Throw<ArgumentException>().WithMessage("*Schema*");
    }

    private static async Task<long> ScalarAsync(string sql)
    {
        await using var command = PostgresTestDatabase.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
