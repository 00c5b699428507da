using System.Net;
using Webhooks.Sender.Publishing;
using Webhooks.Sender;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Delivery;

public sealed class WebhookDeliveryServiceTests
{
    [Fact]
    public async Task RedeliverAsync_AFailedDelivery_SendsItAgainWithTheSameId()
    {
        await using var h = await SenderHarness.StartAsync(o => o.MaxAttempts = 1);
        var sub = await h.SubscribeAsync("a");
        h.Endpoint("a").Answer(HttpStatusCode.InternalServerError);
        var id = await h.Publisher.PublishAsync(new OrderCreated(1));
        (await h.Store.NextCompletionAsync()).Status.Should().Be(WebhookDeliveryStatus.Failed);

        var redelivered = await h.Deliveries.RedeliverAsync(id, sub.Id);
        var completion = await h.Store.NextCompletionAsync();

        redelivered!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        completion.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        h.Endpoint("a").Requests.Select(r => r.Header("webhook-id")).Should().Equal(id, id);
        (await h.Deliveries.ListAttemptsAsync(new() { MessageId = id })).Items.Should().HaveCount(2);
    }

    [Fact]
    public async Task RedeliverAsync_ToASubscriptionCreatedLater_CreatesADelivery()
    {
        await using var h = await SenderHarness.StartAsync();
        var id = await h.Publisher.PublishAsync(new OrderCreated(1));
        var late = await h.SubscribeAsync("late");

        var delivery = await h.Deliveries.RedeliverAsync(id, late.Id);
        await h.Store.NextCompletionAsync();

        delivery!.SubscriptionId.Should().Be(late.Id);
        h.Endpoint("late").Requests.Should().ContainSingle().Which.Header("webhook-id").Should().Be(id);
    }

    [Fact]
    public async Task RedeliverAsync_UnknownMessageOrSubscription_ReturnsNull()
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false);
        var sub = await h.SubscribeAsync("a");
        var id = await h.Publisher.PublishAsync(new OrderCreated(1));

        (await h.Deliveries.RedeliverAsync("msg_missing", sub.Id)).Should().BeNull();
        (await h.Deliveries.RedeliverAsync(id, "sub_missing")).Should().BeNull();
    }

    [Fact]
    public async Task RedeliverAsync_AcrossTenants_IsRefused()
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false);
        var acme = await h.SubscribeAsync("acme", tenantId: "acme");
        var globexMessage = await h.Publisher.PublishAsync(new OrderCreated(1), new WebhookPublishOptions { TenantId = "globex" });

        await FluentActions.Invoking(() => h.Deliveries.RedeliverAsync(globexMessage, acme.Id)).Should().ThrowAsync<ArgumentException>();
        (await h.Deliveries.ForTenant("acme").RedeliverAsync(globexMessage, acme.Id)).Should().BeNull("the acme view cannot see globex's message");
    }

    [Fact]
    public async Task RecoverAsync_ResendsEveryFailedDeliveryOfTheEndpointSinceTheTime()
    {
        await using var h = await SenderHarness.StartAsync(o => o.MaxAttempts = 1);
        var sub = await h.SubscribeAsync("a");
        h.Endpoint("a").Responder = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Store.NextCompletionAsync();
        h.Time.Advance(TimeSpan.FromHours(1));
        var since = h.Time.GetUtcNow();
        var recent1 = await h.Publisher.PublishAsync(new OrderCreated(2));
        var recent2 = await h.Publisher.PublishAsync(new OrderCreated(3));
        await h.Store.CompletionsAsync(2);
        h.Endpoint("a").Answer();

        var count = await h.Deliveries.RecoverAsync(sub.Id, since);
        var completions = await h.Store.CompletionsAsync(2);

        count.Should().Be(2);
        completions.Should().OnlyContain(c => c.Status == WebhookDeliveryStatus.Succeeded);
        h.Endpoint("a").Requests.Skip(3).Select(r => r.Header("webhook-id")).Should().BeEquivalentTo([recent1, recent2]);
        (await h.Deliveries.ListDeliveriesAsync(new() { SubscriptionId = sub.Id, Status = WebhookDeliveryStatus.Failed })).Items.Should().ContainSingle();
        (await h.Deliveries.ForTenant("other").RecoverAsync(sub.Id, since)).Should().Be(0);
    }

    [Fact]
    public async Task Queries_InATenantView_AreRestrictedToTheTenant()
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("acme", tenantId: "acme");
        await h.SubscribeAsync("globex", tenantId: "globex");
        await h.Publisher.PublishAsync(new OrderCreated(1), new WebhookPublishOptions { TenantId = "acme" });
        await h.Publisher.PublishAsync(new OrderCreated(2), new WebhookPublishOptions { TenantId = "globex" });
        var completions = await h.Store.CompletionsAsync(2);
        var acme = h.Deliveries.ForTenant("acme");

        (await acme.ListMessagesAsync()).Items.Should().ContainSingle().Which.TenantId.Should().Be("acme");
        (await acme.ListDeliveriesAsync()).Items.Should().ContainSingle().Which.TenantId.Should().Be("acme");
        (await acme.ListAttemptsAsync()).Items.Should().ContainSingle().Which.TenantId.Should().Be("acme");
        var globexDelivery = completions.Select(c => c.DeliveryId).Single(d => acme.GetDeliveryAsync(d).Result is null);
        (await h.Deliveries.GetDeliveryAsync(globexDelivery)).Should().NotBeNull();
        (await h.Deliveries.ListMessagesAsync()).Items.Should().HaveCount(2);
    }

    [Fact]
    public async Task SendTestAsync_SendsAWebhookTestEventToThatSubscriptionOnly()
    {
        await using var h = await SenderHarness.StartAsync();
        var sub = await h.SubscribeAsync("a");
        await h.SubscribeAsync("b");

        var delivery = await h.Deliveries.SendTestAsync(sub.Id);
        var completion = await h.Store.NextCompletionAsync();

        delivery!.SubscriptionId.Should().Be(sub.Id);
        delivery.EventType.Should().Be(IWebhookDeliveries.TestEventType);
        completion.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        var request = h.Endpoint("a").Requests.Should().ContainSingle().Subject;
        request.Header("webhook-id").Should().Be(delivery.MessageId);
        h.Endpoint("b").Requests.Should().BeEmpty();
        var message = await h.Deliveries.GetMessageAsync(delivery.MessageId);
        System.Text.Encoding.UTF8.GetString(message!.Payload.Span).Should().Contain("\"type\":\"webhook.test\"").And.Contain(sub.Id);
    }

    [Fact]
    public async Task SendTestAsync_UnknownOrOtherTenantsSubscription_ReturnsNullAndStoresNothing()
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false);
        var other = await h.Subscriptions.ForTenant("other").CreateAsync(new("https://other.example.com/hooks"));

        (await h.Deliveries.SendTestAsync("sub_missing")).Should().BeNull();
        (await h.Deliveries.ForTenant("mine").SendTestAsync(other.Id)).Should().BeNull();
        (await h.Deliveries.ListMessagesAsync()).Items.Should().BeEmpty();
    }
}
