using System.Diagnostics;
using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Webhooks.Sender.Subscriptions;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.EndToEnd;

/// <summary>The sender against a real Kestrel endpoint on 127.0.0.1 that verifies every request with the Core verifier.</summary>
public sealed class SenderEndToEndTests
{
    [Fact]
    public async Task NEventsToMSubscriptions_AllArriveVerified_WithIdsAndBytesStableAcrossRetries()
    {
        const int events = 20;
        const int endpoints = 4;
        await using var receiver = await KestrelReceiver.StartAsync();
        var store = new ObservedStore(new InMemoryWebhookStore());

        // Every first attempt fails, so the circuit breaker would pause the endpoints: this test is about retries.
        await using var sender = await SenderHost.StartAsync(store, o => o.EndpointHealth.BreakAfterFailures = 0);

        // Every endpoint fails the first attempt of every message, then accepts it.
        receiver.Behavior = (_, attempt, _) => Task.FromResult(attempt == 1 ? 500 : 200);
        for (var e = 0; e < endpoints; e++)
        {
            var sub = await sender.Subscriptions.CreateAsync(new(receiver.Url($"e{e}")));
            receiver.Trust($"e{e}", sub.Secrets[0].Secret);
        }

        var ids = new List<string>();
        for (var i = 0; i < events; i++)
        {
            ids.Add(await sender.Publisher.PublishAsync(new OrderCreated(i)));
        }

        await receiver.WaitUntilAsync(() => receiver.Delivered().Count == events * endpoints);
        await store.CompletionsAsync(events * endpoints * 2);

        var arrivals = receiver.Arrivals.ToArray();
        arrivals.Should().HaveCount(events * endpoints * 2);
        arrivals.Should().OnlyContain(a => a.Verified, "every request carries a valid signature");
        receiver.Delivered().Should().BeEquivalentTo(
            from e in Enumerable.Range(0, endpoints) from id in ids select ($"e{e}", (string?)id));
        foreach (var group in arrivals.GroupBy(a => (a.Endpoint, a.MessageId)))
        {
            group.Should().HaveCount(2);
            group.First().Body.Should().Equal(group.Last().Body, "a retry sends the same bytes");
        }

        var deliveries = await sender.Deliveries.ListDeliveriesAsync(new() { Limit = 1000 });
        deliveries.Items.Should().HaveCount(events * endpoints).And.OnlyContain(d => d.Status == WebhookDeliveryStatus.Succeeded && d.AttemptCount == 2);
    }

    [Fact]
    public async Task StoreNotification_WakesAnIdleDispatcherOfAnotherInstanceAtOnce()
    {
        await using var receiver = await KestrelReceiver.StartAsync();
        var store = new ObservedStore(new InMemoryWebhookStore());

        // The publishing instance runs no dispatcher; the delivering one would otherwise sleep for its poll interval.
        await using var publishing = await SenderHost.StartAsync(store, o => o.DispatcherEnabled = false);
        await using var delivering = await SenderHost.StartAsync(store, o => o.PollInterval = TimeSpan.FromMinutes(10));
        var sub = await publishing.Subscriptions.CreateAsync(new(receiver.Url("idle")));
        receiver.Trust("idle", sub.Secrets[0].Secret);

        var id = await publishing.Publisher.PublishAsync(new OrderCreated(1));
        store.RaiseDeliveriesDue();

        await receiver.WaitUntilAsync(() => receiver.Delivered().Count == 1);
        receiver.Delivered().Should().ContainSingle().Which.Should().Be(("idle", (string?)id));
    }

    [Fact]
    public async Task EndpointFailingThenRecovering_ReceivesEverything()
    {
        await using var receiver = await KestrelReceiver.StartAsync();
        var store = new ObservedStore(new InMemoryWebhookStore());
        await using var sender = await SenderHost.StartAsync(store, o =>
        {
            o.RetryDelays = [.. Enumerable.Repeat(TimeSpan.FromMilliseconds(50), 50)];

            // The outage opens the endpoint's circuit; a short pause keeps the test quick while still going through it.
            o.EndpointHealth.BreakDuration = TimeSpan.FromMilliseconds(100);
            o.EndpointHealth.MaxBreakDuration = TimeSpan.FromMilliseconds(200);
        });
        var down = true;
        receiver.Behavior = (_, _, _) => Task.FromResult(Volatile.Read(ref down) ? 503 : 204);
        var sub = await sender.Subscriptions.CreateAsync(new(receiver.Url("flaky")));
        receiver.Trust("flaky", sub.Secrets[0].Secret);

        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await sender.Publisher.PublishAsync(new OrderCreated(i)));
        }

        await receiver.WaitUntilAsync(() => receiver.Arrivals.Count(a => a.Status == 503) >= 20);
        Volatile.Write(ref down, false);
        await receiver.WaitUntilAsync(() => receiver.Delivered().Count == 10);

        receiver.Delivered().Select(d => d.Id).Should().BeEquivalentTo(ids);
        receiver.Arrivals.Should().OnlyContain(a => a.Verified);
        for (var i = 0; i < 10; i++)
        {
            var completion = await store.NextCompletionAsync();
            while (completion.Status != WebhookDeliveryStatus.Succeeded)
            {
                completion = await store.NextCompletionAsync();
            }
        }

        (await sender.Deliveries.ListDeliveriesAsync(new() { Status = WebhookDeliveryStatus.Succeeded })).Items.Should().HaveCount(10);
    }

    [Fact]
    public async Task ShutdownMidRun_LosesNothing_AndAnotherSenderFinishesTheWork()
    {
        await using var receiver = await KestrelReceiver.StartAsync();
        var store = new InMemoryWebhookStore();
        var firstRun = await SenderHost.StartAsync(store, o =>
        {
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(100);
            o.MaxConcurrentAttempts = 2;
        });
        await using var ownedFirst = firstRun;

        // The endpoint hangs while the first sender runs (until the request is aborted): shutdown catches attempts in
        // the middle. No clock is involved: the attempts end when the first sender's shutdown cancels them.
        var slow = true;
        var hang = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Behavior = async (_, _, ct) =>
        {
            if (Volatile.Read(ref slow))
            {
                await hang.Task.WaitAsync(ct);
            }

            return 200;
        };
        var names = new[] { "a", "b" };
        foreach (var name in names)
        {
            var sub = await firstRun.Subscriptions.CreateAsync(new(receiver.Url(name)));
            receiver.Trust(name, sub.Secrets[0].Secret);
        }

        var ids = new List<string>();
        for (var i = 0; i < 15; i++)
        {
            ids.Add(await firstRun.Publisher.PublishAsync(new OrderCreated(i)));
        }

        await receiver.WaitUntilAsync(() => receiver.Started >= 2);
        await firstRun.StopAsync();

        var afterStop = await store.ListDeliveriesAsync(new() { Limit = 1000 });
        afterStop.Items.Should().HaveCount(30);
        afterStop.Items.Should().NotContain(d => d.Status == WebhookDeliveryStatus.InFlight, "shutdown hands unfinished attempts back");
        afterStop.Items.Should().Contain(d => d.Status == WebhookDeliveryStatus.Pending, "the run was stopped mid-way");

        Volatile.Write(ref slow, false);
        hang.TrySetResult();
        await using var secondRun = await SenderHost.StartAsync(store);
        await receiver.WaitUntilAsync(() => receiver.Delivered().Count == 30);

        receiver.Delivered().Should().BeEquivalentTo(from n in names from id in ids select (n, (string?)id));
        receiver.Arrivals.Should().OnlyContain(a => a.Verified);
    }

    [Fact]
    public async Task RedirectAnswer_IsNotFollowed()
    {
        await using var receiver = await KestrelReceiver.StartAsync();
        var store = new ObservedStore(new InMemoryWebhookStore());
        await using var sender = await SenderHost.StartAsync(store);
        receiver.Behavior = (name, _, _) => Task.FromResult(name == "redirecting" ? 307 : 200);
        var sub = await sender.Subscriptions.CreateAsync(new(receiver.Url("redirecting")));
        receiver.Trust("redirecting", sub.Secrets[0].Secret);

        await sender.Publisher.PublishAsync(new OrderCreated(1));
        var completion = await store.NextCompletionAsync();

        completion.Status.Should().Be(WebhookDeliveryStatus.Pending);
        completion.Attempt!.StatusCode.Should().Be(307);
        completion.Attempt.ErrorMessage.Should().Contain("redirects are not followed");
        receiver.Arrivals.Should().NotContain(a => a.Endpoint == "redirected");
    }

    [Fact]
    public async Task LoopbackEndpoint_WithoutAnAllowance_IsBlockedByTheSsrfGuard()
    {
        await using var receiver = await KestrelReceiver.StartAsync();
        var store = new ObservedStore(new InMemoryWebhookStore());
        await using var sender = await SenderHost.StartAsync(store, o => o.Ssrf.AllowedNetworks.Clear());

        // A host name is not resolved when the subscription is created; the guard refuses it at connect time.
        var sub = await sender.Subscriptions.CreateAsync(new(receiver.Url("internal").Replace("127.0.0.1", "localtest.invalid", StringComparison.Ordinal)));
        await sender.Store().UpdateSubscriptionAsync(sub with { Url = new Uri(receiver.Url("internal")) });
        await sender.Publisher.PublishAsync(new OrderCreated(1));
        var completion = await store.NextCompletionAsync();

        completion.Status.Should().Be(WebhookDeliveryStatus.Pending, "a refusal is retried like any failure, so fixing the allow-list lets it through");
        completion.Attempt!.Error.Should().Be(WebhookAttemptError.BlockedByPolicy);
        receiver.Started.Should().Be(0);
        await FluentActions.Invoking(() => sender.Subscriptions.CreateAsync(new(receiver.Url("direct"))))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*127.0.0.1*");
    }

    [Fact]
    public async Task TraceContext_OfThePublisher_ReachesTheEndpoint()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Webhooks.Sender" or "test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var testSource = new ActivitySource("test");
        await using var receiver = await KestrelReceiver.StartAsync();
        var store = new ObservedStore(new InMemoryWebhookStore());
        await using var sender = await SenderHost.StartAsync(store);
        var sub = await sender.Subscriptions.CreateAsync(new(receiver.Url("traced")));
        receiver.Trust("traced", sub.Secrets[0].Secret);

        ActivityTraceId traceId;
        using (var parent = testSource.StartActivity("checkout"))
        {
            traceId = parent!.TraceId;
            await sender.Publisher.PublishAsync(new OrderCreated(1));
        }

        await receiver.WaitUntilAsync(() => receiver.Delivered().Count == 1);

        var traceParent = receiver.Arrivals.Single().TraceParent;
        traceParent.Should().NotBeNull();
        ActivityContext.Parse(traceParent!, null).TraceId.Should().Be(traceId);
    }
}
