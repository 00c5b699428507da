using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.Health;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Health;

public sealed class WebhookEndpointHealthTests
{
    [Fact]
    public void GetPausedUntil_CircuitOpenedByFailures_ReturnsWhenItCloses()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time);
        services.AddWebhookSender(o =>
        {
            o.EndpointHealth.BreakAfterFailures = 2;
            o.EndpointHealth.BreakDuration = TimeSpan.FromMinutes(1);
        });
        using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<IWebhookEndpointHealth>();
        var breaker = provider.GetRequiredService<EndpointHealthMonitor>().Breaker;

        health.GetPausedUntil("sub_a").Should().BeNull("an endpoint without failures is not paused");
        breaker.ReportFailure("sub_a", time.GetUtcNow(), out _);
        breaker.ReportFailure("sub_a", time.GetUtcNow(), out _);

        health.GetPausedUntil("sub_a").Should().Be(time.GetUtcNow().AddMinutes(1));
        health.GetPausedUntil("sub_b").Should().BeNull();
        time.Advance(TimeSpan.FromMinutes(1));
        health.GetPausedUntil("sub_a").Should().BeNull("the break is over: the next attempt is the probe");
    }
}
