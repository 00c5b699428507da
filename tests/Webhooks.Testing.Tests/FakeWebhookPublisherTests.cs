using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender;

namespace Webhooks.Testing.Tests;

public sealed class FakeWebhookPublisherTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AddFakeWebhookPublisher_BeforeOrAfterAddWebhookSender_ReplacesThePublisher(bool fakeFirst)
    {
        var services = new ServiceCollection().AddLogging();
        if (fakeFirst)
        {
            services.AddFakeWebhookPublisher().AddWebhookSender();
        }
        else
        {
            services.AddWebhookSender();
            services.AddFakeWebhookPublisher();
        }

        services.AddFakeWebhookPublisher();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IWebhookPublisher>().Should().BeSameAs(provider.GetRequiredService<FakeWebhookPublisher>());
        services.Count(d => d.ServiceType == typeof(IWebhookPublisher)).Should().Be(1);
    }

    [Fact]
    public async Task PublishAsync_RecordsTypeTenantKeyAndPayload()
    {
        var time = new FakeTimeProvider(TestData.Start);
        using var provider = new ServiceCollection().AddSingleton<TimeProvider>(time).AddFakeWebhookPublisher().BuildServiceProvider();
        var publisher = provider.GetRequiredService<IWebhookPublisher>();

        var id = await publisher.PublishAsync(new OrderCreated(42, "Ada"), new WebhookPublishOptions { TenantId = "t1", IdempotencyKey = "order-42" });

        var published = provider.GetRequiredService<FakeWebhookPublisher>().Published.Should().ContainSingle().Subject;
        published.MessageId.Should().Be(id).And.StartWith("msg_");
        published.EventType.Should().Be("order.created");
        published.TenantId.Should().Be("t1");
        published.IdempotencyKey.Should().Be("order-42");
        published.PublishedAt.Should().Be(TestData.Start);
        published.DataJson.Should().Be("""{"orderId":42,"customer":"Ada"}""");
        published.Data<OrderCreated>().Should().Be(new OrderCreated(42, "Ada"));
        published.Json.Should().StartWith("""{"type":"order.created",""");
    }

    [Fact]
    public async Task PublishAsync_SameIdempotencyKey_ReturnsTheFirstIdAndRecordsOnce()
    {
        var publisher = new FakeWebhookPublisher();
        var options = new WebhookPublishOptions { IdempotencyKey = "k" };

        var first = await publisher.PublishAsync("order.created", new { id = 1 }, options);
        var again = await publisher.PublishAsync("order.created", new { id = 1 }, options);
        var otherTenant = await publisher.PublishAsync("order.created", new { id = 1 }, new WebhookPublishOptions { IdempotencyKey = "k", TenantId = "t" });

        again.Should().Be(first);
        otherTenant.Should().NotBe(first);
        publisher.Published.Should().HaveCount(2);
    }

    [Fact]
    public async Task PublishAsync_InvalidEventType_ThrowsLikeTheRealPublisher()
    {
        var publisher = new FakeWebhookPublisher();

        var act = () => publisher.PublishAsync("not a type!", new { id = 1 });

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("eventType");
        publisher.Published.Should().BeEmpty();
    }

    [Fact]
    public async Task WaitForPublishedAsync_CompletesWhenConcurrentPublishersReachTheCount()
    {
        var publisher = new FakeWebhookPublisher();
        var waiting = publisher.WaitForPublishedAsync(40, TestData.Timeout());

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await publisher.PublishAsync("order.created", new { t, i });
            }
        })));

        (await waiting).Should().HaveCount(40);
        publisher.Published.Select(p => p.MessageId).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Clear_ForgetsEventsAndKeys()
    {
        var publisher = new FakeWebhookPublisher();
        var first = await publisher.PublishAsync("order.created", 1, new WebhookPublishOptions { IdempotencyKey = "k" });

        publisher.Clear();
        var second = await publisher.PublishAsync("order.created", 1, new WebhookPublishOptions { IdempotencyKey = "k" });

        second.Should().NotBe(first);
        publisher.Published.Should().ContainSingle();
    }
}
