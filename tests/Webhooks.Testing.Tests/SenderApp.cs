using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender;

namespace Webhooks.Testing.Tests;

/// <summary>The sender in a started generic host on a fake clock, allowed to deliver to loopback.</summary>
internal sealed class SenderApp : IAsyncDisposable
{
    private readonly IHost _host;

    private SenderApp(IHost host, FakeTimeProvider time)
    {
        _host = host;
        Time = time;
        Driver = new WebhookSenderTestDriver(host.Services, time);
    }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _host.Services;

    public WebhookSenderTestDriver Driver { get; }

    public IWebhookPublisher Publisher => Services.GetRequiredService<IWebhookPublisher>();

    public IWebhookSubscriptions Subscriptions => Services.GetRequiredService<IWebhookSubscriptions>();

    public IWebhookDeliveries Deliveries => Services.GetRequiredService<IWebhookDeliveries>();

    public static async Task<SenderApp> StartAsync(FakeTimeProvider time, Action<WebhookSenderOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddWebhookSender(o => configure?.Invoke(o)).AllowLoopbackForTesting();
        var host = builder.Build();
        await host.StartAsync();
        return new SenderApp(host, time);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
