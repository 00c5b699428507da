using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Publishing;

/// <summary>The "Publishing many, and group commit" snippet of docs/sending.md, compiled and run.</summary>
public sealed class PublishManySnippetTests
{
    [Fact]
    public async Task Snippet_PublishesEachItemAndReturnsTheIdsInOrder()
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("orders", ["order.*"]);
        await h.SubscribeAsync("acme", tenantId: "acme");
        var publisher = h.Publisher;

        // docs/sending.md: Publishing many (begin)
        var ids = await publisher.PublishManyAsync(
        [
            WebhookPublishItem.Create(new OrderCreated(41)),
            WebhookPublishItem.Create("order.shipped", new OrderCreated(42)),
            WebhookPublishItem.Create(new OrderCreated(43), new WebhookPublishOptions { TenantId = "acme" }),
        ]);
        // docs/sending.md: Publishing many (end)

        await h.Store.CompletionsAsync(3);
        ids.Should().HaveCount(3).And.OnlyHaveUniqueItems();
        h.Endpoint("orders").Requests.Select(r => r.Header(Core.StandardWebhookHeaders.Id)).Should().BeEquivalentTo([ids[0], ids[1]]);
        h.Endpoint("acme").Requests.Should().ContainSingle().Which.Header(Core.StandardWebhookHeaders.Id).Should().Be(ids[2]);
        (await h.Deliveries.GetMessageAsync(ids[1]))!.EventType.Should().Be("order.shipped");
    }
}
