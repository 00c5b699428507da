using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Webhooks.Sender.Tests.Storage;

namespace Webhooks.Sender.Sqlite.Tests;

/// <summary>The store conformance suite on a SQLite file per test, plus what only a file store has.</summary>
public sealed partial class SqliteWebhookStoreTests : WebhookStoreConformanceTests, IDisposable
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

    protected override Task<IWebhookStore> CreateStoreAsync(TimeProvider time) => Task.FromResult<IWebhookStore>(Open(time));

    private SqliteWebhookStore Open(TimeProvider? time = null)
    {
        var store = _database.CreateStore(time ?? Time);
        _stores.Add(store);
        return store;
    }
}
