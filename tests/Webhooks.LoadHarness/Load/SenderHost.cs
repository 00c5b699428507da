using Webhooks.Sender;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.LoadHarness.Load;

/// <summary>A sender as an app would host it, allowed to reach 127.0.0.1 over http, with the harness's limits.</summary>
internal static class SenderHost
{
    public static async Task<IHost> StartAsync(HarnessOptions options, int batchSize, bool dispatcher, Action<IWebhookSenderBuilder> useStore, HttpMessageHandler? transport = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        var sender = builder.Services.AddWebhookSender(o =>
        {
            o.MaxConcurrentAttempts = options.Concurrency;
            o.MaxConcurrentAttemptsPerEndpoint = options.Concurrency;
            o.BatchSize = batchSize;
            o.DispatcherEnabled = dispatcher;
            o.Ssrf.AllowedNetworks.Add("127.0.0.1/32");
            o.Ssrf.RequireHttps = false;
        });
        useStore(sender);
        if (transport is not null)
        {
            // No network (and so no connect-time SSRF check): the client side alone is measured.
            sender.ConfigureHttpClient(http => http.ConfigurePrimaryHttpMessageHandler(() => transport));
        }

        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return host;
    }

    /// <summary>Subscribes <paramref name="uri"/> to the harness's event type.</summary>
    public static Task SubscribeAsync(IHost host, Uri uri, string eventType) =>
        host.Services.GetRequiredService<IWebhookSubscriptions>().CreateAsync(new WebhookSubscriptionCreateRequest(uri) { EventTypes = [eventType] });
}
