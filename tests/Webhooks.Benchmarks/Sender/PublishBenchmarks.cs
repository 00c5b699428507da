using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.LoadHarness.Scenarios;
using Webhooks.Sender;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Benchmarks.Sender;

/// <summary>
/// The cost of one <see cref="IWebhookPublisher.PublishAsync{T}(string, T, System.Text.Json.Serialization.Metadata.JsonTypeInfo{T}, WebhookPublishOptions?, CancellationToken)"/>
/// (serialize the envelope once, match the subscriptions, enqueue the message and one delivery per match) on the
/// in-memory store, with 1, 10 and 1,000 matching subscriptions. The dispatcher is off, and every iteration starts
/// from a fresh store so the backlog does not grow across iterations.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(128)]
public class PublishBenchmarks
{
    private ServiceProvider? _services;
    private IWebhookPublisher _publisher = null!;
    private int _sequence;

    [Params(1, 10, 1000)]
    public int Subscriptions { get; set; }

    [IterationSetup]
    public void FreshStore()
    {
        _services?.Dispose();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWebhookSender(o =>
        {
            o.DispatcherEnabled = false;
            o.Ssrf.AllowedNetworks.Add("127.0.0.1/32");
            o.Ssrf.RequireHttps = false;
        });
        _services = services.BuildServiceProvider();
        var subscriptions = _services.GetRequiredService<IWebhookSubscriptions>();
        for (var i = 0; i < Subscriptions; i++)
        {
            var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:9/hooks/{i}");
            subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest(url) { EventTypes = [LoadEvent.EventType] }).GetAwaiter().GetResult();
        }

        _publisher = _services.GetRequiredService<IWebhookPublisher>();
        _publisher.PublishAsync(LoadEvent.EventType, LoadEvent.Sample(0), HarnessJsonContext.Default.LoadEvent).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();

    [Benchmark]
    public Task<string> Publish() =>
        _publisher.PublishAsync(LoadEvent.EventType, LoadEvent.Sample(++_sequence), HarnessJsonContext.Default.LoadEvent);
}
