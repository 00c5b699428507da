using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Webhooks.Sender.Tests.Storage;

namespace Webhooks.Sender.Sqlite.Tests;

/// <summary>The statistics conformance suite on a SQLite file per test.</summary>
public sealed class SqliteWebhookStoreStatisticsTests : WebhookStoreStatisticsConformanceTests, IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly List<SqliteWebhookStore> _stores = [];

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _database.Dispose();
    }

    protected override Task<IWebhookStore> CreateStoreAsync(TimeProvider time)
    {
        var store = _database.CreateStore(time);
        _stores.Add(store);
        return Task.FromResult<IWebhookStore>(store);
    }
}
