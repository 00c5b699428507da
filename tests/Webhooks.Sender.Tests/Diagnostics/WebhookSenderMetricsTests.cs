using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Diagnostics;

public sealed class WebhookSenderMetricsTests
{
    [Fact]
    public async Task Instruments_RecordPublishesAttemptsByOutcomeAndDurations()
    {
        await using var h = await SenderHarness.StartAsync(services: s => s.AddMetrics());
        var meterFactory = h.Services.GetRequiredService<IMeterFactory>();
        using var published = new MetricCollector<long>(meterFactory, "Webhooks.Sender", "webhooks.sender.messages.published");
        using var attempts = new MetricCollector<long>(meterFactory, "Webhooks.Sender", "webhooks.sender.attempts");
        using var duration = new MetricCollector<double>(meterFactory, "Webhooks.Sender", "webhooks.sender.delivery.duration");
        await h.SubscribeAsync("a");
        h.Endpoint("a").Answer(HttpStatusCode.ServiceUnavailable);

        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Store.NextCompletionAsync();
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await h.Store.NextCompletionAsync();

        published.GetMeasurementSnapshot().Should().ContainSingle().Which.Tags["webhooks.event_type"].Should().Be("order.created");
        var outcomes = attempts.GetMeasurementSnapshot().Select(m => (string?)m.Tags["webhooks.outcome"]).ToList();
        outcomes.Should().Equal("retry", "succeeded");
        attempts.GetMeasurementSnapshot()[0].Tags["error.type"].Should().Be("503");
        duration.GetMeasurementSnapshot().Should().HaveCount(2).And.OnlyContain(m => m.Value >= 0);
    }

    [Fact]
    public async Task Backlog_ReportsUnfinishedDeliveries()
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false, s => s.AddMetrics());
        using var backlog = new MetricCollector<long>(h.Services.GetRequiredService<IMeterFactory>(), "Webhooks.Sender", "webhooks.sender.backlog");
        await h.SubscribeAsync("a");
        await h.Publisher.PublishAsync(new OrderCreated(1));
        var metrics = h.Services.GetRequiredService<Webhooks.Sender.Diagnostics.WebhookSenderMetrics>();

        metrics.SetBacklog(await h.Store.CountUnfinishedAsync());
        backlog.RecordObservableInstruments();

        backlog.LastMeasurement!.Value.Should().Be(1);
    }
}
