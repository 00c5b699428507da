using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Receiver.Inbox;

namespace Webhooks.Receiver.Tests.Inbox;

/// <summary><c>AddHealthChecks().AddWebhookInbox()</c>: store reachable, oldest pending item, dead items.</summary>
public sealed class WebhookInboxHealthCheckTests
{
    private readonly FakeTimeProvider _time = new(ReceiverHost.Start);

    [Fact]
    public async Task EmptyInbox_IsHealthy()
    {
        var report = await CheckAsync(new InMemoryWebhookInboxStore());

        report.Status.Should().Be(HealthStatus.Healthy);
        report.Data.Should().Contain("pending", 0L).And.Contain("dead", 0L);
    }

    [Fact]
    public async Task PendingItemOlderThanTheThreshold_IsDegraded_WithTheCountsInTheData()
    {
        var store = new InMemoryWebhookInboxStore();
        await store.AddAsync(WebhookInboxStoreConformanceTests.Entry("old", _time.GetUtcNow()), default);
        await store.AddAsync(WebhookInboxStoreConformanceTests.Entry("dead", _time.GetUtcNow()), default);
        var dead = (await store.ClaimAsync("", "l", 1, _time.GetUtcNow(), TimeSpan.FromMinutes(1), default)).Single();
        await store.FailAsync(dead.Id, "l", "x", null, _time.GetUtcNow(), default);

        var fresh = await CheckAsync(store);
        _time.Advance(TimeSpan.FromMinutes(6));
        var late = await CheckAsync(store);

        fresh.Status.Should().Be(HealthStatus.Healthy);
        late.Status.Should().Be(HealthStatus.Degraded);
        late.Description.Should().Contain("360 s");
        late.Data.Should().Contain("pending", 1L).And.Contain("dead", 1L).And.Contain("oldestPendingAgeSeconds", 360.0);
    }

    [Fact]
    public async Task StoreFailure_IsUnhealthy_OrTheGivenStatus()
    {
        var store = new InMemoryWebhookInboxStore();

        var unhealthy = await CheckAsync(new ThrowingStatistics(store));
        var degraded = await CheckAsync(new ThrowingStatistics(store), HealthStatus.Degraded);

        unhealthy.Status.Should().Be(HealthStatus.Unhealthy);
        unhealthy.Exception.Should().BeOfType<TimeoutException>();
        degraded.Status.Should().Be(HealthStatus.Degraded);
    }

    [Fact]
    public async Task WithoutAnInbox_TheCheckSaysWhatToCall()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHealthChecks().AddWebhookInbox();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries["webhooks-inbox"].Status.Should().Be(HealthStatus.Unhealthy);
        report.Entries["webhooks-inbox"].Description.Should().Contain("UseInbox()");
    }

    private async Task<HealthReportEntry> CheckAsync(IWebhookInboxStore store, HealthStatus? failureStatus = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddWebhookReceiver(o => o.Secrets.Add(StandardSigner.EncodedSecret)).UseInbox();
        services.AddSingleton(store);
        services.AddHealthChecks().AddWebhookInbox(failureStatus: failureStatus);
        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries[WebhookInboxHealthChecksBuilderExtensions.DefaultName];
    }

    private sealed class ThrowingStatistics(InMemoryWebhookInboxStore inner) : IWebhookInboxStore
    {
        public ValueTask<WebhookInboxAddResult> AddAsync(WebhookInboxEntry entry, CancellationToken cancellationToken) => inner.AddAsync(entry, cancellationToken);

        public ValueTask<IReadOnlyList<WebhookInboxItem>> ClaimAsync(string receiverName, string leaseId, int maxItems, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
            inner.ClaimAsync(receiverName, leaseId, maxItems, now, lease, cancellationToken);

        public ValueTask<bool> CompleteAsync(long id, string leaseId, DateTimeOffset now, CancellationToken cancellationToken) => inner.CompleteAsync(id, leaseId, now, cancellationToken);

        public ValueTask<bool> FailAsync(long id, string leaseId, string error, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.FailAsync(id, leaseId, error, nextAttemptAt, now, cancellationToken);

        public ValueTask<WebhookInboxPage> ListAsync(WebhookInboxQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

        public ValueTask<WebhookInboxItem?> GetAsync(long id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public ValueTask<bool> ReplayAsync(long id, DateTimeOffset now, CancellationToken cancellationToken) => inner.ReplayAsync(id, now, cancellationToken);

        public ValueTask<long> ReplayDeadAsync(DateTimeOffset since, string? receiverName, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.ReplayDeadAsync(since, receiverName, now, cancellationToken);

        public ValueTask<int> PurgeAsync(WebhookInboxState state, DateTimeOffset before, string? receiverName, int maxItems, CancellationToken cancellationToken) =>
            inner.PurgeAsync(state, before, receiverName, maxItems, cancellationToken);

        public ValueTask<WebhookInboxStatistics> GetStatisticsAsync(string? receiverName, CancellationToken cancellationToken) => throw new TimeoutException("the database is down");
    }
}
