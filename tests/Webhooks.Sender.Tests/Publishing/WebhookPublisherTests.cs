using System.Text;
using System.Text.Json;
using Webhooks.Core;
using Webhooks.Sender.Publishing;
using Webhooks.Sender;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Publishing;

public sealed class WebhookPublisherTests
{
    [Fact]
    public async Task PublishAsync_FansOutToMatchingSubscriptions_WithTheSameBytesAndId()
    {
        await using var h = await SenderHarness.StartAsync();
        var all = await h.SubscribeAsync("all");
        var orders = await h.SubscribeAsync("orders", ["order.*"]);
        await h.SubscribeAsync("invoices", ["invoice.paid"]);

        var messageId = await h.Publisher.PublishAsync(new OrderCreated(42));
        await h.Store.CompletionsAsync(2);

        var toAll = h.Endpoint("all").Requests.Should().ContainSingle().Subject;
        var toOrders = h.Endpoint("orders").Requests.Should().ContainSingle().Subject;
        h.Endpoint("invoices").Requests.Should().BeEmpty();
        toAll.Body.Should().Equal(toOrders.Body);
        toAll.Header(StandardWebhookHeaders.Id).Should().Be(messageId);
        toOrders.Header(StandardWebhookHeaders.Id).Should().Be(messageId);
        h.Verify(toAll, all.Secrets[0].Secret).IsValid.Should().BeTrue();
        h.Verify(toOrders, orders.Secrets[0].Secret).IsValid.Should().BeTrue();
        h.Verify(toOrders, all.Secrets[0].Secret).IsValid.Should().BeFalse("each endpoint is signed with its own secret");

        using var json = JsonDocument.Parse(toAll.Body);
        json.RootElement.GetProperty("type").GetString().Should().Be("order.created");
        json.RootElement.GetProperty("data").GetProperty("orderId").GetInt32().Should().Be(42);
        var stored = await h.Deliveries.GetMessageAsync(messageId);
        stored!.Payload.ToArray().Should().Equal(toAll.Body);
    }

    [Fact]
    public async Task PublishAsync_NoMatchingSubscription_ReturnsAMessageIdAndSendsNothing()
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("invoices", ["invoice.*"]);

        var messageId = await h.Publisher.PublishAsync("order.created", new { id = 1 });

        messageId.Should().StartWith(WebhookId.MessagePrefix);
        (await h.Deliveries.GetMessageAsync(messageId)).Should().NotBeNull();
        (await h.Deliveries.ListDeliveriesAsync(new() { MessageId = messageId })).Items.Should().BeEmpty();
        h.Endpoint("invoices").Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task PublishAsync_SameIdempotencyKey_ReturnsTheFirstIdAndDeliversOnce()
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("a");
        var options = new WebhookPublishOptions { IdempotencyKey = "order-42-created" };

        var first = await h.Publisher.PublishAsync(new OrderCreated(42), options);
        var second = await h.Publisher.PublishAsync(new OrderCreated(42), options);
        var other = await h.Publisher.PublishAsync(new OrderCreated(42), new WebhookPublishOptions { IdempotencyKey = "order-43-created" });
        await h.Store.CompletionsAsync(2);

        second.Should().Be(first);
        other.Should().NotBe(first);
        (await h.Deliveries.ListMessagesAsync()).Items.Should().HaveCount(2);
        h.Endpoint("a").Requests.Select(r => r.Header(StandardWebhookHeaders.Id)).Should().BeEquivalentTo([first, other]);
    }

    [Fact]
    public async Task PublishAsync_ForATenant_ReachesOnlyThatTenantsSubscriptions()
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("acme", tenantId: "acme");
        await h.SubscribeAsync("globex", tenantId: "globex");
        await h.SubscribeAsync("shared");

        var id = await h.Publisher.PublishAsync(new OrderCreated(1), new WebhookPublishOptions { TenantId = "acme" });
        await h.Store.NextCompletionAsync();
        await h.Publisher.PublishAsync(new OrderCreated(2));
        await h.Store.NextCompletionAsync();

        h.Endpoint("acme").Requests.Should().ContainSingle().Which.Header(StandardWebhookHeaders.Id).Should().Be(id);
        h.Endpoint("globex").Requests.Should().BeEmpty();
        h.Endpoint("shared").Requests.Should().ContainSingle().Which.Header(StandardWebhookHeaders.Id).Should().NotBe(id);
        (await h.Deliveries.ForTenant("acme").GetMessageAsync(id)).Should().NotBeNull();
        (await h.Deliveries.ForTenant("globex").GetMessageAsync(id)).Should().BeNull();
    }

    [Fact]
    public async Task PublishAsync_DisabledSubscription_IsSkipped()
    {
        await using var h = await SenderHarness.StartAsync();
        var sub = await h.SubscribeAsync("a");
        await h.Subscriptions.DisableAsync(sub.Id, "maintenance");

        var id = await h.Publisher.PublishAsync(new OrderCreated(1));

        (await h.Deliveries.ListDeliveriesAsync(new() { MessageId = id })).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task PublishAsync_WithJsonTypeInfo_UsesSourceGeneratedMetadata()
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("a");

        await h.Publisher.PublishAsync(new OrderCreated(7), TestJsonContext.Default.OrderCreated);
        await h.Store.NextCompletionAsync();

        var body = Encoding.UTF8.GetString(h.Endpoint("a").Requests.Single().Body);
        body.Should().Contain("\"OrderId\":7", "the context keeps .NET property names");
    }

    [Theory]
    [InlineData("order.*")]
    [InlineData("order..created")]
    [InlineData("order created")]
    public async Task PublishAsync_InvalidEventType_ThrowsArgumentExceptionQuotingIt(string eventType)
    {
        await using var h = await SenderHarness.StartAsync();

        var act = () => h.Publisher.PublishAsync(eventType, new { });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(eventType);
    }

    [Fact]
    public async Task PublishAsync_TypeWithoutWebhookEventAttribute_Throws()
    {
        await using var h = await SenderHarness.StartAsync();

        var act = () => h.Publisher.PublishAsync(new { id = 1 });

        await act.Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task PublishAsync_StoresOneMessageWithOneDeliveryPerEndpoint()
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false);
        for (var i = 0; i < 5; i++)
        {
            await h.SubscribeAsync($"e{i}");
        }

        var id = await h.Publisher.PublishAsync(new OrderCreated(1));

        (await h.Deliveries.ListMessagesAsync()).Items.Should().ContainSingle();
        var deliveries = (await h.Deliveries.ListDeliveriesAsync(new() { MessageId = id })).Items;
        deliveries.Should().HaveCount(5).And.OnlyContain(d => d.Status == WebhookDeliveryStatus.Pending);
    }
}
