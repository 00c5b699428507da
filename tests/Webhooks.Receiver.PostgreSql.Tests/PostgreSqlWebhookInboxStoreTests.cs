using Webhooks.Receiver.Inbox;
using Webhooks.Receiver.Tests.Inbox;

namespace Webhooks.Receiver.PostgreSql.Tests;

/// <summary>The inbox store conformance suite against a real server, each test in a fresh schema.</summary>
public sealed class PostgreSqlWebhookInboxStoreTests : WebhookInboxStoreConformanceTests, IAsyncLifetime
{
    private readonly PostgresInbox _inbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _inbox.DisposeAsync();

    protected override async Task<IWebhookInboxStore> CreateStoreAsync() => await _inbox.NewStoreAsync();

    [Fact]
    public async Task ConcurrentClaims_NeverTakeOneItemTwice()
    {
        var schema = _inbox.NewSchema();
        var stores = new[] { await _inbox.NewStoreAsync(schema), await _inbox.NewStoreAsync(schema) };
        var now = Time.GetUtcNow();
        for (var i = 0; i < 200; i++)
        {
            await stores[0].AddAsync(Entry("m" + i, now), default);
        }

        var claims = Enumerable.Range(0, 20).Select(i => stores[i % 2].ClaimAsync("", "lease-" + i, 15, now, Lease, default).AsTask()).ToArray();
        var claimed = (await Task.WhenAll(claims)).SelectMany(c => c).ToList();

        claimed.Should().HaveCount(200);
        claimed.Select(c => c.Id).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task NewerSchema_IsRefused_AndWithoutAutoMigrateAMissingOneIsReported()
    {
        var schema = _inbox.NewSchema();
        await _inbox.NewStoreAsync(schema);
        await using (var command = PostgresInbox.DataSource.CreateCommand($"INSERT INTO \"{schema}\".inbox_schema_version (version) VALUES (99)"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var newer = () => new PostgreSqlWebhookInboxStore(PostgresInbox.DataSource, new() { Schema = schema }).InitializeAsync();
        var missing = () => new PostgreSqlWebhookInboxStore(PostgresInbox.DataSource, new() { Schema = _inbox.NewSchema(), AutoMigrate = false }).InitializeAsync();

        (await newer.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("version 99").And.Contain("Upgrade");
        (await missing.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("AutoMigrate");
    }

    [Theory]
    [InlineData("bad-name")]
    [InlineData("1abc")]
    [InlineData("x\"; DROP")]
    public void Constructor_BadSchemaName_ThrowsNamingIt(string schema)
    {
        var act = () => new PostgreSqlWebhookInboxStore(PostgresInbox.DataSource, new() { Schema = schema });

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain(schema);
    }
}
