using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Sender.Health;
using Webhooks.Sender;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Health;

/// <summary>Endpoint health through the real dispatcher, on a fake clock.</summary>
public class EndpointHealthDispatchTests
{
    [Fact]
    public async Task Breaker_AfterARunOfFailures_PausesTheEndpointWithoutTouchingItsDeliveries()
    {
        var opened = new ConcurrentQueue<WebhookCircuitOpenedArguments>();
        await using var h = await SenderHarness.StartAsync(o =>
        {
            Breaker(o, failures: 2);
            o.EndpointHealth.OnCircuitOpened = args =>
            {
                opened.Enqueue(args);
                return ValueTask.CompletedTask;
            };
        });
        var failing = await h.SubscribeAsync("failing");
        await h.SubscribeAsync("healthy");
        h.Endpoint("failing").Responder = static (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError));

        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Publisher.PublishAsync(new OrderCreated(2));
        await h.Store.CompletionsAsync(4);
        await UntilOpenAsync(h, failing.Id);
        var paused = await h.Publisher.PublishAsync(new OrderCreated(3));
        var healthy = await h.Store.NextCompletionAsync();

        healthy.Attempt!.SubscriptionId.Should().NotBe(failing.Id);
        h.Endpoint("failing").Requests.Should().HaveCount(2, "the third delivery waits while the circuit is open");
        var waiting = await DeliveryAsync(h, paused, failing.Id);
        waiting.Status.Should().Be(WebhookDeliveryStatus.Pending);
        waiting.AttemptCount.Should().Be(0, "a pause is not an attempt");
        opened.Should().ContainSingle().Which.Subscription.Id.Should().Be(failing.Id);
        opened.Single().BreakDuration.Should().Be(TimeSpan.FromSeconds(30));
        Monitor(h).Breaker.GetState(failing.Id).Should().Be(CircuitState.Open);
    }

    [Fact]
    public async Task Breaker_AfterTheCoolDown_ProbesWithOneAttemptThenResumes()
    {
        await using var h = await SenderHarness.StartAsync(o => Breaker(o, failures: 2));
        var sub = await h.SubscribeAsync("a");
        var endpoint = h.Endpoint("a");
        var probeGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        endpoint.Responder = async (_, ct) =>
        {
            var call = Interlocked.Increment(ref calls);
            if (call <= 2)
            {
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            }

            if (call == 3)
            {
                await probeGate.Task.WaitAsync(ct);
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        };
        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Publisher.PublishAsync(new OrderCreated(2));
        await h.Store.CompletionsAsync(2);
        await UntilOpenAsync(h, sub.Id);
        for (var i = 3; i <= 5; i++)
        {
            await h.Publisher.PublishAsync(new OrderCreated(i));
        }

        var openedAt = h.Time.GetUtcNow();
        h.Time.Advance(TimeSpan.FromSeconds(29));
        h.Endpoint("a").Requests.Should().HaveCount(2);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await endpoint.NextRequestAsync();
        await endpoint.NextRequestAsync();
        var probe = await endpoint.NextRequestAsync();

        Monitor(h).Breaker.GetState(sub.Id).Should().Be(CircuitState.HalfOpen);
        h.Time.GetUtcNow().Should().Be(openedAt + TimeSpan.FromSeconds(30));
        probe.Should().NotBeNull();
        endpoint.Requests.Should().HaveCount(3, "only the probe goes while the circuit is half-open");
        probeGate.SetResult();
        var completions = await h.Store.CompletionsAsync(3);

        completions.Should().OnlyContain(c => c.Status == WebhookDeliveryStatus.Succeeded);
        completions.Should().OnlyContain(c => c.Attempt!.AttemptNumber == 1, "paused deliveries kept their attempt count");
        endpoint.Requests.Should().HaveCount(5);
        Monitor(h).Breaker.GetState(sub.Id).Should().Be(CircuitState.Closed);
    }

    [Fact]
    public async Task Breaker_FailedProbe_PausesForTwiceAsLong()
    {
        await using var h = await SenderHarness.StartAsync(o => Breaker(o, failures: 1));
        var sub = await h.SubscribeAsync("a");
        h.Endpoint("a").Responder = static (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway));
        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Store.NextCompletionAsync();
        await h.Publisher.PublishAsync(new OrderCreated(2));

        h.Time.Advance(TimeSpan.FromSeconds(30));
        var probe = await h.Store.NextCompletionAsync();

        probe.Status.Should().Be(WebhookDeliveryStatus.Pending);
        Monitor(h).Breaker.TryAcquire(sub.Id, h.Time.GetUtcNow(), out var retryAfter).Should().BeFalse();
        retryAfter.Should().Be(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task RateLimit_OverTheSubscriptionsRate_DeliveriesWaitTheirTurnAndAllSucceed()
    {
        await using var h = await SenderHarness.StartAsync(o => o.EndpointHealth.BreakAfterFailures = 0);
        var endpoint = h.Endpoint("a");
        await h.Subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest(SenderHarness.Url("a")) { RateLimitPerSecond = 2 });
        var start = h.Time.GetUtcNow();

        for (var i = 0; i < 5; i++)
        {
            await h.Publisher.PublishAsync(new OrderCreated(i));
        }

        await endpoint.NextRequestAsync();
        await endpoint.NextRequestAsync();
        for (var i = 0; i < 3; i++)
        {
            h.Time.Advance(TimeSpan.FromMilliseconds(500));
            await endpoint.NextRequestAsync();
        }

        var completions = await h.Store.CompletionsAsync(5);

        // When each attempt started, on the fake clock (read by the sender before the request went out).
        completions.Select(c => c.Attempt!.StartedAt - start).Order().Should().Equal(
            TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(1500));
        completions.Should().OnlyContain(c => c.Status == WebhookDeliveryStatus.Succeeded && c.Attempt!.AttemptNumber == 1, "a limited delivery waits; it is not failed");
    }

    [Fact]
    public async Task RateLimit_Default_AppliesToSubscriptionsWithoutTheirOwn()
    {
        await using var h = await SenderHarness.StartAsync(o => o.EndpointHealth.DefaultRateLimitPerSecond = 1);
        var endpoint = h.Endpoint("a");
        await h.SubscribeAsync("a");
        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Publisher.PublishAsync(new OrderCreated(2));

        await h.Store.NextCompletionAsync();
        h.Time.Advance(TimeSpan.FromMilliseconds(999));
        endpoint.Requests.Should().HaveCount(1);
        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        var second = await h.Store.NextCompletionAsync();

        second.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        endpoint.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Gone_DisablesOnceAndRaisesTheCallbackWithTheReason()
    {
        var disabled = new ConcurrentQueue<WebhookSubscriptionDisabledArguments>();
        await using var h = await SenderHarness.StartAsync(o => o.EndpointHealth.OnSubscriptionDisabled = args =>
        {
            disabled.Enqueue(args);
            return ValueTask.CompletedTask;
        });
        var sub = await h.SubscribeAsync("a");

        // Both messages are published before the first answer, so both have a delivery to the subscription.
        var published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Endpoint("a").Responder = async (_, ct) =>
        {
            await published.Task.WaitAsync(ct);
            return new HttpResponseMessage(HttpStatusCode.Gone);
        };

        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Publisher.PublishAsync(new OrderCreated(2));
        published.SetResult();
        await h.Store.CompletionsAsync(2);
        await h.Dispatcher.StopAsync(CancellationToken.None);

        var args = disabled.Should().ContainSingle().Subject;
        args.Reason.Should().Be(WebhookSubscriptionDisabledReason.EndpointGone);
        args.Subscription.Id.Should().Be(sub.Id);
        args.Subscription.Url.Should().Be(sub.Url);
        args.Subscription.Enabled.Should().BeFalse();
        args.Subscription.DisabledReason.Should().Be($"The endpoint answered 410 Gone at {h.Time.GetUtcNow():O}.");
        args.FailingSince.Should().BeNull();
        args.DisabledAt.Should().Be(h.Time.GetUtcNow());
    }

    [Fact]
    public async Task FailingForTheWindow_DisablesFailsPendingDeliveriesWithTheReasonAndRecoversAfterEnabling()
    {
        var disabled = new ConcurrentQueue<WebhookSubscriptionDisabledArguments>();
        await using var h = await SenderHarness.StartAsync(o =>
        {
            o.RetryDelays = [.. Enumerable.Repeat(TimeSpan.FromHours(6), 8)];
            o.EndpointHealth.BreakAfterFailures = 0;
            o.EndpointHealth.DisableAfter = TimeSpan.FromDays(1);
            o.EndpointHealth.OnSubscriptionDisabled = args =>
            {
                disabled.Enqueue(args);
                return ValueTask.CompletedTask;
            };
        });
        var sub = await h.SubscribeAsync("a");
        var endpoint = h.Endpoint("a");
        endpoint.Responder = static (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError));
        var start = h.Time.GetUtcNow();

        // Message 1 is tried at 0, 6, 12, 18 and 24 h; message 2 at 1, 7, 13, 19 and 25 h.
        await h.Publisher.PublishAsync(new OrderCreated(1));
        (await h.Store.NextCompletionAsync()).Status.Should().Be(WebhookDeliveryStatus.Pending);
        h.Time.Advance(TimeSpan.FromHours(1));
        var second = await h.Publisher.PublishAsync(new OrderCreated(2));
        (await h.Store.NextCompletionAsync()).Status.Should().Be(WebhookDeliveryStatus.Pending);
        var outcomes = new List<WebhookDeliveryCompletion>();
        for (var hour = 2; hour <= 25; hour++)
        {
            h.Time.Advance(TimeSpan.FromHours(1));
            if (hour % 6 is 0 or 1)
            {
                outcomes.Add(await h.Store.NextCompletionAsync());
            }
        }

        outcomes.SkipLast(2).Should().OnlyContain(c => c.Status == WebhookDeliveryStatus.Pending, "a day has not passed yet");
        var atWindow = outcomes[^2];
        atWindow.Status.Should().Be(WebhookDeliveryStatus.Failed);
        atWindow.FailureReason.Should().StartWith("The subscription was disabled: Every attempt failed from " + start.ToString("O"));
        var pending = outcomes[^1];
        pending.Attempt.Should().BeNull("a delivery to a disabled subscription is not attempted");
        pending.Status.Should().Be(WebhookDeliveryStatus.Failed);
        pending.FailureReason.Should().Contain("The subscription is disabled (Every attempt failed from");
        var args = disabled.Should().ContainSingle().Subject;
        args.Reason.Should().Be(WebhookSubscriptionDisabledReason.FailingTooLong);
        args.FailingSince.Should().Be(start);
        args.DisabledAt.Should().Be(start + TimeSpan.FromHours(24));
        (await h.Subscriptions.GetAsync(sub.Id))!.Enabled.Should().BeFalse();

        // The owner fixes the endpoint; the application enables the subscription and recovers what failed meanwhile.
        endpoint.Responder = static (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        await h.Subscriptions.EnableAsync(sub.Id);
        var recovered = await h.Deliveries.RecoverAsync(sub.Id, start);
        var redelivered = await h.Store.CompletionsAsync(2);

        recovered.Should().Be(2);
        redelivered.Should().OnlyContain(c => c.Status == WebhookDeliveryStatus.Succeeded);
        (await DeliveryAsync(h, second, sub.Id)).Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        Monitor(h).Policy.Count.Should().Be(0);
    }

    [Fact]
    public async Task FailingForTheWindow_WhenAnotherProcessSawASuccess_StaysEnabled()
    {
        await using var h = await SenderHarness.StartAsync(o =>
        {
            o.RetryDelays = [TimeSpan.FromDays(2)];
            o.EndpointHealth.BreakAfterFailures = 0;
            o.EndpointHealth.DisableAfter = TimeSpan.FromDays(1);
        });
        var sub = await h.SubscribeAsync("a");
        var calls = 0;
        h.Endpoint("a").Responder = (_, _) => Task.FromResult(new HttpResponseMessage(
            Interlocked.Increment(ref calls) == 2 ? HttpStatusCode.OK : HttpStatusCode.InternalServerError));
        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Store.NextCompletionAsync();

        // This process remembers the failure; the success below is as if another process delivered message 2,
        // so the policy here never hears of it and only the store knows.
        Monitor(h).Policy.Count.Should().Be(1);
        h.Time.Advance(TimeSpan.FromHours(12));
        await h.Publisher.PublishAsync(new OrderCreated(2));
        (await h.Store.NextCompletionAsync()).Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        Monitor(h).Policy.RecordFailure(sub, 500, h.Time.GetUtcNow() - TimeSpan.FromHours(12));
        h.Time.Advance(TimeSpan.FromDays(2) - TimeSpan.FromHours(12));
        var retry = await h.Store.NextCompletionAsync();

        retry.Status.Should().Be(WebhookDeliveryStatus.Failed, "its retries are exhausted, but not because of a disable");
        retry.FailureReason.Should().StartWith("Retries exhausted");
        (await h.Subscriptions.GetAsync(sub.Id))!.Enabled.Should().BeTrue();
    }

    [Fact]
    public async Task DisabledCallback_Throwing_StillDisablesAndFailsTheDelivery()
    {
        await using var h = await SenderHarness.StartAsync(o => o.EndpointHealth.OnSubscriptionDisabled = static _ => throw new InvalidOperationException("the app's mailer is down"));
        var sub = await h.SubscribeAsync("a");
        h.Endpoint("a").Answer(HttpStatusCode.Gone);

        await h.Publisher.PublishAsync(new OrderCreated(1));
        var completion = await h.Store.NextCompletionAsync();
        await h.Dispatcher.StopAsync(CancellationToken.None);

        completion.Status.Should().Be(WebhookDeliveryStatus.Failed);
        (await h.Subscriptions.GetAsync(sub.Id))!.Enabled.Should().BeFalse();
    }

    [Fact]
    public async Task Options_BoundFromConfiguration_ReachTheHealthOptions()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["EndpointHealth:DisableAfter"] = "2.00:00:00",
                ["EndpointHealth:BreakAfterFailures"] = "7",
                ["EndpointHealth:DefaultRateLimitPerSecond"] = "20",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddWebhookSender(configuration);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookSenderOptions>>().Value.EndpointHealth;

        options.DisableAfter.Should().Be(TimeSpan.FromDays(2));
        options.BreakAfterFailures.Should().Be(7);
        options.DefaultRateLimitPerSecond.Should().Be(20);
    }

    [Fact]
    public void SenderOptionsValidator_BadHealthValue_NamesTheNestedOption()
    {
        var options = new WebhookSenderOptions();
        options.EndpointHealth.BreakAfterFailures = -1;

        var result = new WebhookSenderOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("WebhookSenderOptions.EndpointHealth.BreakAfterFailures is -1");
    }

    private static void Breaker(WebhookSenderOptions options, int failures)
    {
        options.RetryDelays = [TimeSpan.FromHours(1)];
        options.EndpointHealth.BreakAfterFailures = failures;
        options.EndpointHealth.BreakDuration = TimeSpan.FromSeconds(30);
    }

    private static EndpointHealthMonitor Monitor(SenderHarness h) => h.Services.GetRequiredService<EndpointHealthMonitor>();

    /// <summary>
    /// The store records an attempt's outcome a moment before the dispatcher reports it to the breaker; wait for the
    /// breaker (a state, not a time) so a publish that follows cannot race the opening.
    /// </summary>
    private static async Task UntilOpenAsync(SenderHarness h, string subscriptionId)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Monitor(h).Breaker.GetState(subscriptionId) != CircuitState.Open)
        {
            await Task.Delay(5, cts.Token);
        }
    }

    private static async Task<WebhookDelivery> DeliveryAsync(SenderHarness h, string messageId, string subscriptionId) =>
        (await h.Deliveries.ListDeliveriesAsync(new WebhookDeliveryQuery { MessageId = messageId, SubscriptionId = subscriptionId })).Items.Single();
}
