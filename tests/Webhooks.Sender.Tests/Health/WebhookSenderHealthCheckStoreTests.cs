using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Health;

/// <summary>
/// The sender's health check against a real store: a store's test project subclasses this and says how to use the
/// store, and how to point the sender at one that cannot be reached.
/// </summary>
public abstract class WebhookSenderHealthCheckStoreTests
{
    /// <summary>Gets the clock the host runs on.</summary>
    protected TrackingTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Makes the sender use a fresh, reachable store.</summary>
    /// <param name="sender">The sender builder.</param>
    protected abstract void UseStore(IWebhookSenderBuilder sender);

    /// <summary>Makes the sender use a store that cannot be reached.</summary>
    /// <param name="sender">The sender builder.</param>
    protected abstract void UseUnreachableStore(IWebhookSenderBuilder sender);

    [Fact]
    public async Task RunningOnTheStore_IsHealthy_AndDegradedOnceADueDeliveryWaitsTooLong()
    {
        using var host = Build(UseStore, dispatcher: false);
        await host.StartAsync();
        var subscriptions = host.Services.GetRequiredService<IWebhookSubscriptions>();
        var disabled = await subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest("https://off.example/hooks"));
        await subscriptions.DisableAsync(disabled.Id, "test");
        await subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest("https://on.example/hooks"));

        var idle = await CheckAsync(host);
        await host.Services.GetRequiredService<IWebhookPublisher>().PublishAsync("order.created", new { id = 1 });
        Time.Advance(TimeSpan.FromMinutes(6));
        var behind = await CheckAsync(host);
        await host.StopAsync();

        idle.Status.Should().Be(HealthStatus.Healthy);
        idle.Data["disabled_endpoints"].Should().Be(1);
        behind.Status.Should().Be(HealthStatus.Degraded);
        behind.Data["oldest_due_age_seconds"].Should().Be(360.0);
    }

    [Fact]
    public async Task TheDispatcherOnTheStore_IsReportedRunning()
    {
        using var host = Build(UseStore, dispatcher: true);
        await host.StartAsync();

        var entry = await CheckAsync(host);
        await host.StopAsync();

        entry.Status.Should().Be(HealthStatus.Healthy);
        entry.Data["dispatcher"].Should().Be("running");
    }

    [Fact]
    public async Task AStoreThatCannotBeReached_IsUnhealthy()
    {
        using var host = Build(UseUnreachableStore, dispatcher: false);

        var entry = await CheckAsync(host);

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().Contain("delivery store could not be reached");
        entry.Exception.Should().NotBeNull();
    }

    private IHost Build(Action<IWebhookSenderBuilder> store, bool dispatcher)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(Time);
        store(builder.Services.AddWebhookSender(o => o.DispatcherEnabled = dispatcher));
        builder.Services.AddHealthChecks().AddWebhookSender();
        return builder.Build();
    }

    private static async Task<HealthReportEntry> CheckAsync(IHost host) =>
        (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[WebhookSenderHealthChecksBuilderExtensions.DefaultName];
}
