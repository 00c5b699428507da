using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Webhooks.Sender.Health;
using Webhooks.Sender;
using Webhooks.Sender.Subscriptions;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Health;

public sealed class EndpointHealthMetricsTests
{
    [Fact]
    public async Task Instruments_CountOpenedCircuitsAndDisabledSubscriptionsByReason()
    {
        await using var h = await SenderHarness.StartAsync(o => o.EndpointHealth.BreakAfterFailures = 1, s => s.AddMetrics());
        var meters = h.Services.GetRequiredService<IMeterFactory>();
        using var opened = new MetricCollector<long>(meters, "Webhooks.Sender", EndpointHealthMetrics.CircuitsOpenedName);
        using var disabled = new MetricCollector<long>(meters, "Webhooks.Sender", EndpointHealthMetrics.DisabledName);
        await h.SubscribeAsync("a");
        h.Endpoint("a").Answer(HttpStatusCode.Gone);

        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Store.NextCompletionAsync();
        await h.Dispatcher.StopAsync(CancellationToken.None);

        opened.GetMeasurementSnapshot().Should().ContainSingle().Which.Value.Should().Be(1);
        disabled.GetMeasurementSnapshot().Should().ContainSingle().Which.Tags[EndpointHealthMetrics.ReasonTag].Should().Be("gone");
    }

    [Fact]
    public async Task Paused_CountsRateLimitedDeliveries()
    {
        await using var h = await SenderHarness.StartAsync(services: s => s.AddMetrics());
        using var paused = new MetricCollector<long>(h.Services.GetRequiredService<IMeterFactory>(), "Webhooks.Sender", EndpointHealthMetrics.PausedName);
        h.Endpoint("a");
        await h.Subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest(SenderHarness.Url("a")) { RateLimitPerSecond = 1 });

        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Publisher.PublishAsync(new OrderCreated(2));
        await h.Store.NextCompletionAsync();
        await h.Store.NextReleaseAsync();

        paused.GetMeasurementSnapshot().Should().NotBeEmpty()
            .And.OnlyContain(m => (string?)m.Tags[EndpointHealthMetrics.ReasonTag] == "rate_limited");
    }
}
