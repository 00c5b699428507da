using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;
using Webhooks.Core;
using Webhooks.Sender.Delivery;
using Webhooks.Sender;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Sender.Tests.Testing;

/// <summary>
/// The sender wired as an app would wire it, with a fake clock, MockHttp as the transport and an observed in-memory
/// store. Endpoints live under <c>https://{name}.example/hooks</c>.
/// </summary>
internal sealed class SenderHarness : IAsyncDisposable
{
    private readonly Dictionary<string, RecordingEndpoint> _endpoints = new(StringComparer.Ordinal);
    private bool _started;

    private SenderHarness(Action<WebhookSenderOptions>? configure, Action<IServiceCollection>? services)
    {
        Time = new TrackingTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        Store = new ObservedStore(new InMemoryWebhookStore(Time));
        var collection = new ServiceCollection();
        collection.AddLogging(b =>
        {
            if (Environment.GetEnvironmentVariable("WEBHOOKS_TEST_LOG") == "1")
            {
                b.AddConsole().SetMinimumLevel(LogLevel.Debug);
            }
        });
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddWebhookSender(o =>
            {
                o.RetryJitter = 0;
                configure?.Invoke(o);
            })
            .UseStore(_ => Store)
            .ConfigureHttpClient(b => b
                .ConfigurePrimaryHttpMessageHandler(() => Http)
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan));
        services?.Invoke(collection);
        Services = collection.BuildServiceProvider();
        Dispatcher = Services.GetServices<IHostedService>().OfType<WebhookDispatcher>().Single();
    }

    public TrackingTimeProvider Time { get; }

    public MockHttpMessageHandler Http { get; } = new();

    public ObservedStore Store { get; }

    public ServiceProvider Services { get; }

    public WebhookDispatcher Dispatcher { get; }

    public IWebhookSubscriptions Subscriptions => Services.GetRequiredService<IWebhookSubscriptions>();

    public IWebhookPublisher Publisher => Services.GetRequiredService<IWebhookPublisher>();

    public IWebhookDeliveries Deliveries => Services.GetRequiredService<IWebhookDeliveries>();

    public static async Task<SenderHarness> StartAsync(Action<WebhookSenderOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var harness = new SenderHarness(configure, services);
        await harness.Dispatcher.StartAsync(CancellationToken.None);
        harness._started = true;
        return harness;
    }

    /// <summary>Gets (creating on first use) the fake endpoint <c>https://{name}.example/hooks</c>.</summary>
    public RecordingEndpoint Endpoint(string name)
    {
        if (!_endpoints.TryGetValue(name, out var endpoint))
        {
            endpoint = new RecordingEndpoint();
            _endpoints[name] = endpoint;
            Http.When(HttpMethod.Post, Url(name)).Respond(endpoint);
        }

        return endpoint;
    }

    public static string Url(string name) => $"https://{name}.example/hooks";

    /// <summary>Creates a subscription to the named endpoint.</summary>
    public async Task<WebhookSubscription> SubscribeAsync(string name, IReadOnlyList<string>? eventTypes = null, string? tenantId = null)
    {
        Endpoint(name);
        return await Subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest(Url(name)) { EventTypes = eventTypes ?? [], TenantId = tenantId });
    }

    /// <summary>Verifies a request as a Standard Webhooks receiver holding <paramref name="secrets"/> would.</summary>
    public WebhookVerificationResult Verify(ReceivedRequest request, params WebhookSecret[] secrets) =>
        new StandardWebhookVerifier(secrets, Time).Verify(
            request.Header(StandardWebhookHeaders.Id),
            request.Header(StandardWebhookHeaders.Timestamp),
            request.Header(StandardWebhookHeaders.Signature),
            request.Body);

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Dispatcher.StopAsync(cts.Token);
        }

        await Services.DisposeAsync();
        Http.Dispose();
    }
}
