using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Sender.Sqlite.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Sqlite.Tests;

public sealed class SqliteWebhookSenderBuilderExtensionsTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task UseSqlite_RegistersOneSqliteStoreAsTheStoreAndItsRetention()
    {
        var services = new ServiceCollection();
        services.AddWebhookSender().UseSqlite(_database.ConnectionString);
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IWebhookStore>();

        store.Should().BeOfType<SqliteWebhookStore>().Which.DataSource.Should().Be(_database.FilePath);
        provider.GetRequiredService<IWebhookStoreRetention>().Should().BeSameAs(store);
        provider.GetRequiredService<SqliteWebhookStore>().Should().BeSameAs(store);
        provider.GetServices<IHostedService>().OfType<SqliteRetentionService>().Should().ContainSingle();
    }

    [Fact]
    public async Task UseSqlite_Twice_RegistersTheRetentionServiceOnce()
    {
        var services = new ServiceCollection();
        services.AddWebhookSender().UseSqlite(_database.ConnectionString).UseSqlite(o => o.SucceededRetention = TimeSpan.FromDays(1));
        await using var provider = services.BuildServiceProvider();

        provider.GetServices<IHostedService>().OfType<SqliteRetentionService>().Should().ContainSingle();
        var options = provider.GetRequiredService<IOptions<SqliteWebhookStoreOptions>>().Value;
        options.ConnectionString.Should().Be(_database.ConnectionString);
        options.SucceededRetention.Should().Be(TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task UseSqlite_WithABadConnectionString_FailsAtStartNamingTheProblem()
    {
        var services = new ServiceCollection();
        services.AddWebhookSender().UseSqlite("Data Source=");
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<SqliteWebhookStoreOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*has no 'Data Source'*Data Source=webhooks.db*");
    }

    [Fact]
    public void ReadmeSnippets_ConfigureTheStoreFromCodeAndConfiguration()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Sender:Sqlite:ConnectionString"] = _database.ConnectionString,
            ["Webhooks:Sender:Sqlite:RetentionInterval"] = "00:10:00",
        });

        // docs/stores.md "SQLite": the three snippets, in order; later configuration wins.
        builder.Services.AddWebhookSender()
            .UseSqlite("Data Source=webhooks.db");

        builder.Services.AddWebhookSender()
            .UseSqlite(o =>
            {
                o.ConnectionString = "Data Source=/var/lib/myapp/webhooks.db";
                o.SucceededRetention = TimeSpan.FromDays(3); // null keeps everything
            });

        builder.Services.AddWebhookSender()
            .UseSqlite(builder.Configuration.GetSection(SqliteWebhookStoreOptions.SectionName));

        using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<SqliteWebhookStoreOptions>>().Value;
        options.ConnectionString.Should().Be(_database.ConnectionString);
        options.SucceededRetention.Should().Be(TimeSpan.FromDays(3));
        options.RetentionInterval.Should().Be(TimeSpan.FromMinutes(10));
        host.Services.GetRequiredService<IWebhookStore>().Should().BeOfType<SqliteWebhookStore>();
    }

    [Fact]
    public async Task HostStart_CreatesTheDatabaseFile()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddWebhookSender(o => o.DispatcherEnabled = false).UseSqlite(_database.ConnectionString);
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();

        File.Exists(_database.FilePath).Should().BeTrue();
    }

    [Fact]
    public async Task HostStart_OnAFileThatCannotBeOpened_FailsNamingTheFile()
    {
        var path = Path.Combine(_database.FilePath + "-missing-directory", "webhooks.db");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddWebhookSender(o => o.DispatcherEnabled = false).UseSqlite($"Data Source={path}");
        using var host = builder.Build();

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage($"*could not open '{path}'*");
    }
}
