using Webhooks.Sender.Tests.Health;

namespace Webhooks.Sender.Sqlite.Tests;

public sealed class SqliteWebhookSenderHealthCheckTests : WebhookSenderHealthCheckStoreTests, IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override void UseStore(IWebhookSenderBuilder sender) => sender.UseSqlite(_database.ConnectionString);

    protected override void UseUnreachableStore(IWebhookSenderBuilder sender) =>
        sender.UseSqlite($"Data Source={Path.Combine(_database.FilePath + ".missing", "no-such-folder", "webhooks.db")}");
}
