using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Storage;

public sealed class InMemoryWebhookStoreStatisticsTests : WebhookStoreStatisticsConformanceTests
{
    protected override Task<IWebhookStore> CreateStoreAsync(TimeProvider time) => Task.FromResult<IWebhookStore>(new InMemoryWebhookStore(time));
}
