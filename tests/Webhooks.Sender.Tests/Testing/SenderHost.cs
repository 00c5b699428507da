using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Webhooks.Sender.Delivery;
using Webhooks.Sender;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Sender.Tests.Testing;

/// <summary>The sender in a real generic host with the real clock and transport, and a short retry schedule.</summary>
internal sealed class SenderHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private SenderHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IWebhookSubscriptions Subscriptions => Services.GetRequiredService<IWebhookSubscriptions>();

    public IWebhookPublisher Publisher => Services.GetRequiredService<IWebhookPublisher>();

    public IWebhookDeliveries Deliveries => Services.GetRequiredService<IWebhookDeliveries>();

    public IWebhookStore Store() => Services.GetRequiredService<IWebhookStore>();

    public static async Task<SenderHost> StartAsync(IWebhookStore store, Action<WebhookSenderOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWebhookSender(o =>
            {
                o.RetryDelays = [.. Enumerable.Repeat(TimeSpan.FromMilliseconds(50), 10)];
                o.RetryJitter = 0.2;
                o.PollInterval = TimeSpan.FromMilliseconds(500);
                o.AttemptTimeout = TimeSpan.FromSeconds(5);
                AllowLoopback(o);
                configure?.Invoke(o);
            })
            .UseStore(_ => store);
        var host = builder.Build();
        await host.StartAsync();
        return new SenderHost(host);
    }

    /// <summary>The receiver runs on 127.0.0.1 over http, which the SSRF policy refuses unless allowed.</summary>
    public static void AllowLoopback(WebhookSenderOptions options)
    {
        options.Ssrf.AllowedNetworks.Add("127.0.0.0/8");
        options.Ssrf.RequireHttps = false;
    }

    public async Task StopAsync()
    {
        _stopped = true;
        await _host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await _host.StopAsync();
        }

        _host.Dispose();
    }
}
