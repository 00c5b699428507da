using System.Text.Json;
using Webhooks.Core;
using Webhooks.Core.Events;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Publishing;

public sealed class WebhookPublisherPublishManyTests
{
    [Fact]
    public async Task PublishManyAsync_StoresOneMessagePerItemInOneWriteAndDeliversEach()
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("orders", ["order.*"]);
        await h.SubscribeAsync("acme", tenantId: "acme");

        var ids = await h.Publisher.PublishManyAsync(
        [
            WebhookPublishItem.Create(new OrderCreated(1), TestJsonContext.Default.OrderCreated),
            WebhookPublishItem.Create("order.shipped", new OrderCreated(2), TestJsonContext.Default.OrderCreated),
            WebhookPublishItem.Create("invoice.paid", new OrderCreated(3), TestJsonContext.Default.OrderCreated, new WebhookPublishOptions { TenantId = "acme" }),
        ]);
        await h.Store.CompletionsAsync(3);

        ids.Should().HaveCount(3).And.OnlyHaveUniqueItems();
        h.Endpoint("orders").Requests.Select(r => r.Header(StandardWebhookHeaders.Id)).Should().BeEquivalentTo([ids[0], ids[1]]);
        var toAcme = h.Endpoint("acme").Requests.Should().ContainSingle().Subject;
        toAcme.Header(StandardWebhookHeaders.Id).Should().Be(ids[2]);
        using var json = JsonDocument.Parse(toAcme.Body);
        json.RootElement.GetProperty("type").GetString().Should().Be("invoice.paid");
        json.RootElement.GetProperty("data").GetProperty("OrderId").GetInt32().Should().Be(3, "the source-generated metadata names it");
        (await h.Deliveries.GetMessageAsync(ids[2]))!.TenantId.Should().Be("acme");
    }

    [Fact]
    public async Task PublishManyAsync_GoesThroughTheStoresBatchMethodOnce()
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("a");

        var ids = await h.Publisher.PublishManyAsync(
        [
            WebhookPublishItem.Create(new OrderCreated(1), TestJsonContext.Default.OrderCreated),
            WebhookPublishItem.Create(new OrderCreated(2), TestJsonContext.Default.OrderCreated),
        ]);
        await h.Store.CompletionsAsync(2);

        h.Store.EnqueueManyCalls.Should().Be((1, 2));
        h.Endpoint("a").Requests.Select(r => r.Header(StandardWebhookHeaders.Id)).Should().BeEquivalentTo(ids);
    }

    [Fact]
    public async Task PublishManyAsync_RepeatedIdempotencyKey_ReturnsTheFirstIdForBoth()
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("a");
        var options = new WebhookPublishOptions { IdempotencyKey = "order-1" };

        var ids = await h.Publisher.PublishManyAsync(
        [
            WebhookPublishItem.Create(new OrderCreated(1), TestJsonContext.Default.OrderCreated, options),
            WebhookPublishItem.Create(new OrderCreated(1), TestJsonContext.Default.OrderCreated, options),
        ]);
        await h.Store.CompletionsAsync(1);

        ids[1].Should().Be(ids[0]);
        (await h.Deliveries.ListMessagesAsync()).Items.Should().ContainSingle();
    }

    [Fact]
    public async Task PublishManyAsync_NoItems_ReturnsNoIds()
    {
        await using var h = await SenderHarness.StartAsync();

        var ids = await h.Publisher.PublishManyAsync([]);

        ids.Should().BeEmpty();
    }

    [Fact]
    public async Task PublishManyAsync_ABlankTenant_ThrowsAndPublishesNothing()
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("a");

        var act = () => h.Publisher.PublishManyAsync(
        [
            WebhookPublishItem.Create(new OrderCreated(1), TestJsonContext.Default.OrderCreated),
            WebhookPublishItem.Create(new OrderCreated(2), TestJsonContext.Default.OrderCreated, new WebhookPublishOptions { TenantId = " " }),
        ]);

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("options.TenantId");
        (await h.Deliveries.ListMessagesAsync()).Items.Should().BeEmpty();
    }

    [Fact]
    public void Create_AnInvalidEventType_ThrowsNamingIt()
    {
        var act = () => WebhookPublishItem.Create("not a type!", new OrderCreated(1), TestJsonContext.Default.OrderCreated);

        act.Should().Throw<ArgumentException>().WithParameterName("eventType");
    }

    [Fact]
    public async Task DefaultInterfaceImplementation_PublishesTheItemsOneByOne()
    {
        var publisher = new SingleOnlyPublisher();

        var ids = await ((IWebhookPublisher)publisher).PublishManyAsync(
        [
            WebhookPublishItem.Create("a.b", new OrderCreated(1), TestJsonContext.Default.OrderCreated),
            WebhookPublishItem.Create(new OrderCreated(2), TestJsonContext.Default.OrderCreated, new WebhookPublishOptions { TenantId = "t" }),
        ]);

        ids.Should().Equal("msg_1", "msg_2");
        publisher.Published.Should().Equal(("a.b", (string?)null, 1), ("order.created", "t", 2));
    }

    /// <summary>A publisher that implements only the single-event methods.</summary>
    private sealed class SingleOnlyPublisher : IWebhookPublisher
    {
        public List<(string EventType, string? TenantId, int OrderId)> Published { get; } = [];

        public Task<string> PublishAsync<T>(T payload, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<string> PublishAsync<T>(string eventType, T payload, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<string> PublishAsync<T>(T payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default) =>
            PublishAsync(WebhookEventType.Of<T>(), payload, typeInfo, options, cancellationToken);

        public Task<string> PublishAsync<T>(string eventType, T payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default)
        {
            Published.Add((eventType, options?.TenantId, (payload as OrderCreated)!.OrderId));
            return Task.FromResult("msg_" + Published.Count);
        }
    }
}
