using Microsoft.Data.Sqlite;
using Webhooks.Receiver.Inbox;
using Webhooks.Receiver.Tests.Inbox;

namespace Webhooks.Receiver.Sqlite.Tests;

/// <summary>The inbox store conformance suite on a SQLite file per test, plus what only a file store has.</summary>
public sealed class SqliteWebhookInboxStoreTests : WebhookInboxStoreConformanceTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "webhooks-inbox-" + Guid.NewGuid().ToString("N"));
    private readonly List<SqliteWebhookInboxStore> _stores = [];

    public SqliteWebhookInboxStoreTests() => Directory.CreateDirectory(_directory);

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "inbox.db")}";

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    protected override Task<IWebhookInboxStore> CreateStoreAsync() => Task.FromResult<IWebhookInboxStore>(Open());

    [Fact]
    public async Task Items_SurviveReopeningTheFile_AndTheDuplicateKeyWithThem()
    {
        var now = Time.GetUtcNow();
        var first = Open();
        await first.AddAsync(Entry("m1", now), default);
        first.Dispose();

        var second = Open();
        (await second.AddAsync(Entry("m1", now), default)).Should().Be(WebhookInboxAddResult.Duplicate);
        (await second.ClaimAsync("", "l", 10, now, Lease, default)).Should().ContainSingle().Which.MessageId.Should().Be("m1");
    }

    [Fact]
    public async Task Schema_IsVersionedInItsOwnTable_AndANewerFileIsRefused()
    {
        var store = Open();
        await store.InitializeAsync();
        store.Dispose();
        using (var connection = new SqliteConnection(ConnectionString + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT max(version) FROM inbox_schema_version";
            Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture).Should().Be(1);
            command.CommandText = "INSERT INTO inbox_schema_version (version, applied_at) VALUES (99, 0)";
            command.ExecuteNonQuery();
        }

        var act = () => Open().InitializeAsync();

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("schema version 99").And.Contain("Upgrade");
    }

    [Fact]
    public async Task Claim_UsesTheDueIndex()
    {
        var store = Open();
        await store.InitializeAsync();
        store.Dispose();
        using var connection = new SqliteConnection(ConnectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN SELECT id FROM inbox_items WHERE receiver = 'r' AND due_at IS NOT NULL AND due_at <= 5 ORDER BY due_at, id LIMIT 4";
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        plan.Should().ContainSingle(p => p.Contains("ix_inbox_due", StringComparison.Ordinal)).And.NotContain(p => p.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "no connection string")]
    [InlineData("Data Source=x.db;Bogus=1", "not valid")]
    public void Constructor_BadOptions_ThrowsNamingTheProblem(string connectionString, string expected)
    {
        var act = () => new SqliteWebhookInboxStore(new SqliteWebhookInboxOptions { ConnectionString = connectionString });

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain(expected);
    }

    private SqliteWebhookInboxStore Open()
    {
        var store = new SqliteWebhookInboxStore(new SqliteWebhookInboxOptions { ConnectionString = ConnectionString }, Time);
        _stores.Add(store);
        return store;
    }
}
