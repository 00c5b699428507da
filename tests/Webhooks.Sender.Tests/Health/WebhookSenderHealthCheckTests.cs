using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Health;

public sealed class WebhookSenderHealthCheckTests
{
    private static readonly Action<IServiceCollection> WithCheck = s => s.AddHealthChecks().AddWebhookSender();

    [Fact]
    public async Task Running_WithNothingDue_IsHealthy()
    {
        await using var h = await SenderHarness.StartAsync(services: WithCheck);

        var entry = await CheckAsync(h);

        entry.Status.Should().Be(HealthStatus.Healthy);
        entry.Data["dispatcher"].Should().Be("running");
        entry.Data["disabled_endpoints"].Should().Be(0);
        entry.Data.Should().NotContainKey("oldest_due_at");
    }

    [Fact]
    public async Task OldestDueDelivery_WaitingLongerThanTheThreshold_IsDegraded()
    {
        // A publish-only instance: another instance's dispatcher would deliver, and it is behind.
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false, WithCheck);
        await h.SubscribeAsync("a");
        await h.Publisher.PublishAsync(new OrderCreated(1));

        h.Time.Advance(TimeSpan.FromMinutes(4));
        var early = await CheckAsync(h);
        h.Time.Advance(TimeSpan.FromMinutes(2));
        var late = await CheckAsync(h);

        early.Status.Should().Be(HealthStatus.Healthy);
        early.Data["oldest_due_age_seconds"].Should().Be(240.0);
        early.Data["dispatcher"].Should().Be("disabled");
        late.Status.Should().Be(HealthStatus.Degraded);
        late.Description.Should().Contain("oldest due delivery has waited 6 min");
        late.Data["oldest_due_age_seconds"].Should().Be(360.0);
    }

    [Fact]
    public async Task TheDegradedThreshold_IsConfigurable()
    {
        await using var h = await SenderHarness.StartAsync(
            o => o.DispatcherEnabled = false,
            s => s.AddHealthChecks().AddWebhookSender(o => o.DueDeliveryDegradedAfter = TimeSpan.FromSeconds(30)));
        await h.SubscribeAsync("a");
        await h.Publisher.PublishAsync(new OrderCreated(1));

        h.Time.Advance(TimeSpan.FromSeconds(31));

        (await CheckAsync(h)).Status.Should().Be(HealthStatus.Degraded);
    }

    [Fact]
    public async Task StoreFailure_IsUnhealthyAndNamesTheStore()
    {
        await using var h = await SenderHarness.StartAsync(services: WithCheck);
        h.Store.FailNext(nameof(h.Store.GetNextDueTimeAsync));

        var entry = await CheckAsync(h);

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().Contain("delivery store could not be reached");
        entry.Exception.Should().BeOfType<InvalidOperationException>();
    }

    [Fact]
    public async Task StoreFailure_ReportsTheRegisteredFailureStatus()
    {
        await using var h = await SenderHarness.StartAsync(services: s => s.AddHealthChecks().AddWebhookSender(failureStatus: HealthStatus.Degraded));
        h.Store.FailNext(nameof(h.Store.GetNextDueTimeAsync));

        (await CheckAsync(h)).Status.Should().Be(HealthStatus.Degraded);
    }

    [Fact]
    public async Task DispatcherNotStarted_IsUnhealthy()
    {
        await using var h = SenderHarness.Create(services: WithCheck);

        var entry = await CheckAsync(h);

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Data["dispatcher"].Should().Be("not_started");
        entry.Description.Should().Contain("has not started");
    }

    [Fact]
    public async Task DispatcherStopped_IsUnhealthy()
    {
        await using var h = await SenderHarness.StartAsync(services: WithCheck);
        await h.Dispatcher.StopAsync(CancellationToken.None);

        var entry = await CheckAsync(h);

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Data["dispatcher"].Should().Be("stopped");
    }

    [Fact]
    public async Task DispatcherStuckInAStoreCall_IsUnhealthyUntilItGoesRoundAgain()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = SenderHarness.Create(services: WithCheck);
        h.Store.ClaimGate = gate.Task;
        await h.StartDispatcherAsync();
        await h.Store.ClaimWaiting.Task.WaitAsync(TimeSpan.FromSeconds(30));

        h.Time.Advance(TimeSpan.FromSeconds(59));
        var before = await CheckAsync(h);
        h.Time.Advance(TimeSpan.FromSeconds(2));
        var stalled = await CheckAsync(h);
        var waits = h.Dispatcher.Waits;
        h.Store.ClaimGate = null;
        gate.SetResult();
        await h.Dispatcher.WaitingAsync(waits).WaitAsync(TimeSpan.FromSeconds(30));
        var after = await CheckAsync(h);

        before.Status.Should().Be(HealthStatus.Healthy);
        stalled.Status.Should().Be(HealthStatus.Unhealthy);
        stalled.Description.Should().Contain("stalled");
        stalled.Data["dispatcher_last_round_seconds_ago"].Should().Be(61.0);
        after.Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task TheStallThreshold_IsAtLeastThreePollIntervals()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = SenderHarness.Create(
            o => o.PollInterval = TimeSpan.FromMinutes(1),
            s => s.AddHealthChecks().AddWebhookSender(o => o.DispatcherStalledAfter = TimeSpan.FromSeconds(10)));
        h.Store.ClaimGate = gate.Task;
        await h.StartDispatcherAsync();
        await h.Store.ClaimWaiting.Task.WaitAsync(TimeSpan.FromSeconds(30));

        h.Time.Advance(TimeSpan.FromSeconds(179));
        var within = await CheckAsync(h);
        h.Time.Advance(TimeSpan.FromSeconds(2));
        var beyond = await CheckAsync(h);
        gate.SetResult();

        within.Status.Should().Be(HealthStatus.Healthy);
        beyond.Status.Should().Be(HealthStatus.Unhealthy);
    }

    [Fact]
    public async Task DisabledEndpoints_AreCountedInTheData_UpToTheCap()
    {
        await using var h = await SenderHarness.StartAsync(services: s => s
            .AddHealthChecks()
            .AddWebhookSender(name: "all")
            .AddWebhookSender(o => o.MaxDisabledEndpointsCounted = 2, name: "capped"));
        for (var i = 0; i < 3; i++)
        {
            var sub = await h.SubscribeAsync($"off{i}");
            await h.Subscriptions.DisableAsync(sub.Id, "test");
        }

        await h.SubscribeAsync("on");

        var report = await h.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries["all"].Data["disabled_endpoints"].Should().Be(3);
        report.Entries["all"].Data.Should().NotContainKey("disabled_endpoints_capped");
        report.Entries["capped"].Data["disabled_endpoints"].Should().Be(2);
        report.Entries["capped"].Data["disabled_endpoints_capped"].Should().Be(true);
        report.Entries["all"].Status.Should().Be(HealthStatus.Healthy, "disabled endpoints are the owners' business, not the sender's health");
    }

    [Fact]
    public void InvalidThresholds_ThrowNamingTheOption()
    {
        var services = new ServiceCollection();

        var zero = () => services.AddHealthChecks().AddWebhookSender(o => o.DueDeliveryDegradedAfter = TimeSpan.Zero);
        var negative = () => services.AddHealthChecks().AddWebhookSender(o => o.DispatcherStalledAfter = TimeSpan.FromSeconds(-1));
        var cap = () => services.AddHealthChecks().AddWebhookSender(o => o.MaxDisabledEndpointsCounted = 0);

        zero.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*DueDeliveryDegradedAfter*");
        negative.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*DispatcherStalledAfter*");
        cap.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*MaxDisabledEndpointsCounted*");
    }

    [Fact]
    public async Task WithoutTheSender_TheCheckFailsSayingWhatToAdd()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHealthChecks().AddWebhookSender();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries[WebhookSenderHealthChecksBuilderExtensions.DefaultName];
        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().Contain("AddWebhookSender()");
    }

    private static async Task<HealthReportEntry> CheckAsync(SenderHarness h)
    {
        var report = await h.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries[WebhookSenderHealthChecksBuilderExtensions.DefaultName];
    }
}
