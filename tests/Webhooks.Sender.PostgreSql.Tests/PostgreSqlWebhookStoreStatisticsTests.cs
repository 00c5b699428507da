using Webhooks.Sender.PostgreSql.Tests.Testing;
using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Webhooks.Sender.Tests.Storage;

namespace Webhooks.Sender.PostgreSql.Tests;

/// <summary>The statistics conformance suite against a real server, each test in a fresh schema.</summary>
public sealed class PostgreSqlWebhookStoreStatisticsTests : WebhookStoreStatisticsConformanceTests, IAsyncLifetime
{
    private readonly PostgresSchemas _schemas = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schemas.DisposeAsync();

    protected override async Task<IWebhookStore> CreateStoreAsync(TimeProvider time) => await _schemas.NewStoreAsync(time);
}
