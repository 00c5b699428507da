using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.Sqlite.Internal;

namespace Webhooks.Sender.Sqlite.Tests.Internal;

public sealed class SqliteSchemaTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void Migrations_AreNumberedFromOneWithoutGaps()
    {
        SqliteSchema.Migrations.Select(m => m.Version).Should().Equal(Enumerable.Range(1, SqliteSchema.Migrations.Count));
    }

    [Fact]
    public async Task Open_FileAtAnOlderVersion_AppliesTheMissingMigrationsAndKeepsTheData()
    {
        using (var old = _database.Open())
        {
            SqliteSchema.Migrate(old, 0, targetVersion: 1).Should().ContainSingle();
            Execute(old, "INSERT INTO messages (id, event_type, payload, created_at) VALUES ('msg_old', 'order.created', x'7b7d', 1000)");
            Indexes(old).Should().NotContain("ix_messages_created");
        }

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        using var store = _database.CreateStore(time);
        await store.InitializeAsync();

        (await store.GetMessageAsync("msg_old")).Should().NotBeNull();
        using var upgraded = _database.Open();
        SqliteSchema.GetVersion(upgraded).Should().Be(SqliteSchema.LatestVersion);
        Indexes(upgraded).Should().Contain(["ix_messages_created", "ix_deliveries_failed_completed"]);
        using var applied = upgraded.CreateCommand();
        applied.CommandText = "SELECT applied_at FROM schema_version WHERE version = 2";
        applied.ExecuteScalar().Should().Be(time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Migrate_Twice_AppliesNothingTheSecondTime()
    {
        using var connection = _database.Open();

        SqliteSchema.Migrate(connection, 0).Should().HaveCount(SqliteSchema.LatestVersion);
        SqliteSchema.Migrate(connection, 0).Should().BeEmpty();
    }

    [Fact]
    public async Task Open_FileFromANewerVersion_FailsSayingWhatToDo()
    {
        using (var connection = _database.Open())
        {
            SqliteSchema.Migrate(connection, 0);
            Execute(connection, $"INSERT INTO schema_version (version, description, applied_at) VALUES ({SqliteSchema.LatestVersion + 1}, 'future', 0)");
        }

        using var store = _database.CreateStore();
        var act = () => store.InitializeAsync();

        (await act.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage($"*schema version {SqliteSchema.LatestVersion + 1}*knows versions up to {SqliteSchema.LatestVersion}*Upgrade*");
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> Indexes(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index'";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
