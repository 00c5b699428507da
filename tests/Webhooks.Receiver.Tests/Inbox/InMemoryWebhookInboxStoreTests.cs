using Webhooks.Receiver.Inbox;

namespace Webhooks.Receiver.Tests.Inbox;

public sealed class InMemoryWebhookInboxStoreTests : WebhookInboxStoreConformanceTests
{
    protected override Task<IWebhookInboxStore> CreateStoreAsync() => Task.FromResult<IWebhookInboxStore>(new InMemoryWebhookInboxStore());
}
