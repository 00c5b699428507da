using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using RichardSzalay.MockHttp;
using Webhooks.Core;
using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Webhooks.Sender.Subscriptions;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Delivery;

public sealed class WebhookDispatcherTests
{
    [Fact]
    public async Task Attempt_SendsSignedJsonWithStandardAndCustomHeaders()
    {
        await using var h = await SenderHarness.StartAsync(o => o.UserAgent = "Acme-Webhooks/2.0");
        h.Endpoint("a");
        var sub = await h.Subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest(SenderHarness.Url("a"))
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer abc", ["X-Tenant"] = "t1" },
        });

        var id = await h.Publisher.PublishAsync(new OrderCreated(1));
        var completion = await h.Store.NextCompletionAsync();

        var request = h.Endpoint("a").Requests.Single();
        completion.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        request.Header("Content-Type").Should().Be("application/json");
        request.Header("User-Agent").Should().Be("Acme-Webhooks/2.0");
        request.Header("Authorization").Should().Be("Bearer abc");
        request.Header("X-Tenant").Should().Be("t1");
        request.Header(StandardWebhookHeaders.Id).Should().Be(id);
        request.Header(StandardWebhookHeaders.Timestamp).Should().Be(h.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        h.Verify(request, sub.Secrets[0].Secret).IsValid.Should().BeTrue();
    }

    [Fact]
    public async Task Slot_IsFreedWhenTheHttpAttemptEnds_BeforeItsOutcomeIsStored()
    {
        await using var h = await SenderHarness.StartAsync(o =>
        {
            o.MaxConcurrentAttempts = 1;
            o.MaxConcurrentAttemptsPerEndpoint = 1;
            o.BatchSize = 1;
        });
        await h.SubscribeAsync("a");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Store.CompletionGate = gate.Task;

        for (var i = 0; i < 3; i++)
        {
            await h.Publisher.PublishAsync(new OrderCreated(i));
        }

        // One slot, a store that does not answer: all three are sent anyway, one after the other, so the slot was
        // freed twice while no outcome was stored. (ActiveAttempts is not checked here: the third attempt may still
        // be reading its response when the endpoint has seen the request.)
        for (var i = 0; i < 3; i++)
        {
            await h.Endpoint("a").NextRequestAsync();
        }

        h.Store.TryTakeCompletion(out _).Should().BeFalse();
        gate.SetResult();
        var stored = await h.Store.CompletionsAsync(3);

        stored.Should().OnlyContain(c => c.Status == WebhookDeliveryStatus.Succeeded);
        stored.Select(c => c.DeliveryId).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Shutdown_WaitsForOutcomesStillBeingStored()
    {
        var h = await SenderHarness.StartAsync();
        try
        {
            await h.SubscribeAsync("a");
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            h.Store.CompletionGate = gate.Task;
            var id = await h.Publisher.PublishAsync(new OrderCreated(1));
            await h.Endpoint("a").NextRequestAsync();
            await h.Store.CompletionWaiting.WaitAsync(TimeSpan.FromSeconds(30));

            // The shutdown deadline runs on the fake clock, which stands still: only the stored outcome can end the stop.
            var stop = h.Dispatcher.StopAsync(CancellationToken.None);
            stop.IsCompleted.Should().BeFalse("the outcome is not stored yet");
            gate.SetResult();
            await stop.WaitAsync(TimeSpan.FromSeconds(30));

            h.Store.TryTakeCompletion(out var stored).Should().BeTrue("the stop returned only after the outcome was stored");
            stored!.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
            var deliveries = await h.Deliveries.ListDeliveriesAsync(new WebhookDeliveryQuery { MessageId = id });
            deliveries.Items.Should().ContainSingle().Which.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        }
        finally
        {
            await h.Services.DisposeAsync();
            h.Http.Dispose();
        }
    }

    [Fact]
    public async Task Attempt_503ThenSuccess_RetriesOnScheduleWithTheSameIdAndANewSignature()
    {
        await using var h = await SenderHarness.StartAsync();
        var sub = await h.SubscribeAsync("a");
        h.Endpoint("a").Answer(HttpStatusCode.ServiceUnavailable);

        var id = await h.Publisher.PublishAsync(new OrderCreated(1));
        var first = await h.Store.NextCompletionAsync();
        first.Status.Should().Be(WebhookDeliveryStatus.Pending);
        first.NextAttemptAt.Should().Be(h.Time.GetUtcNow() + TimeSpan.FromSeconds(5));
        first.Attempt!.StatusCode.Should().Be(503);

        h.Time.Advance(TimeSpan.FromSeconds(4));
        h.Store.TryTakeCompletion(out _).Should().BeFalse();
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await h.Store.NextCompletionAsync();

        second.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        var requests = h.Endpoint("a").Requests.ToArray();
        requests.Should().HaveCount(2);
        requests.Select(r => r.Header(StandardWebhookHeaders.Id)).Should().AllBe(id);
        requests[0].Body.Should().Equal(requests[1].Body);
        requests[1].Header(StandardWebhookHeaders.Timestamp).Should().NotBe(requests[0].Header(StandardWebhookHeaders.Timestamp), "each attempt is signed at attempt time");
        h.Verify(requests[1], sub.Secrets[0].Secret).IsValid.Should().BeTrue();
        var delivery = (await h.Deliveries.ListDeliveriesAsync(new() { MessageId = id })).Items.Single();
        delivery.AttemptCount.Should().Be(2);
        (await h.Deliveries.ListAttemptsAsync(new() { DeliveryId = delivery.Id })).Items.Select(a => a.StatusCode).Should().Equal(200, 503);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Attempt_BackOffStatusWithRetryAfter_SchedulesTheRetryWhenAsked(HttpStatusCode status)
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("a");
        var completion = await FirstOutcomeWithRetryAfterAsync(h, status, new RetryConditionHeaderValue(TimeSpan.FromSeconds(120)));

        completion.Status.Should().Be(WebhookDeliveryStatus.Pending);
        completion.NextAttemptAt.Should().Be(h.Time.GetUtcNow() + TimeSpan.FromSeconds(120));
        completion.Attempt!.ResponseHeaders.Should().ContainKey("Retry-After");
    }

    [Fact]
    public async Task Attempt_RetryAfterOnAPlain500_IsIgnored()
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("a");
        var completion = await FirstOutcomeWithRetryAfterAsync(h, HttpStatusCode.InternalServerError, new RetryConditionHeaderValue(TimeSpan.FromHours(1)));

        completion.NextAttemptAt.Should().Be(h.Time.GetUtcNow() + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Attempt_RetryAfterBeyondTheCap_IsCapped()
    {
        await using var h = await SenderHarness.StartAsync(o => o.MaxRetryAfter = TimeSpan.FromMinutes(2));
        await h.SubscribeAsync("a");
        var completion = await FirstOutcomeWithRetryAfterAsync(h, HttpStatusCode.TooManyRequests, new RetryConditionHeaderValue(h.Time.GetUtcNow().AddDays(3)));

        completion.NextAttemptAt.Should().Be(h.Time.GetUtcNow() + TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task Attempt_410Gone_FailsTheDeliveryAndDisablesTheSubscription()
    {
        await using var h = await SenderHarness.StartAsync();
        var sub = await h.SubscribeAsync("a");
        h.Endpoint("a").Answer(HttpStatusCode.Gone);

        await h.Publisher.PublishAsync(new OrderCreated(1));
        var completion = await h.Store.NextCompletionAsync();

        completion.Status.Should().Be(WebhookDeliveryStatus.Failed);
        completion.FailureReason.Should().Contain("410");
        await h.Dispatcher.StopAsync(CancellationToken.None);
        var disabled = await h.Subscriptions.GetAsync(sub.Id);
        disabled!.Enabled.Should().BeFalse();
        disabled.DisabledReason.Should().Contain("410");
        var next = await h.Publisher.PublishAsync(new OrderCreated(2));
        (await h.Deliveries.ListDeliveriesAsync(new() { MessageId = next })).Items.Should().BeEmpty("a disabled subscription receives nothing new");
    }

    [Fact]
    public async Task Attempt_413_FailsWithoutRetrying()
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("a");
        h.Endpoint("a").Answer(HttpStatusCode.RequestEntityTooLarge);

        await h.Publisher.PublishAsync(new OrderCreated(1));
        var completion = await h.Store.NextCompletionAsync();

        completion.Status.Should().Be(WebhookDeliveryStatus.Failed);
        completion.FailureReason.Should().Contain("413");
    }

    [Fact]
    public async Task Attempt_NoAnswerWithinTheTimeout_IsATimeoutAndRetries()
    {
        await using var h = await SenderHarness.StartAsync(o => o.AttemptTimeout = TimeSpan.FromSeconds(15));
        await h.SubscribeAsync("a");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Endpoint("a").Responder = async (_, ct) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        };

        await h.Publisher.PublishAsync(new OrderCreated(1));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        h.Time.Advance(TimeSpan.FromSeconds(14));
        h.Store.TryTakeCompletion(out _).Should().BeFalse();
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var completion = await h.Store.NextCompletionAsync();

        completion.Status.Should().Be(WebhookDeliveryStatus.Pending);
        completion.Attempt!.Error.Should().Be(WebhookAttemptError.Timeout);
        completion.Attempt.StatusCode.Should().BeNull();
        completion.Attempt.Duration.Should().Be(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Attempt_ConnectionError_IsRecordedAndRetried()
    {
        await using var h = await SenderHarness.StartAsync();
        h.Http.When(HttpMethod.Post, SenderHarness.Url("down")).Throw(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));
        await h.Subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest(SenderHarness.Url("down")));

        await h.Publisher.PublishAsync(new OrderCreated(1));
        var completion = await h.Store.NextCompletionAsync();

        completion.Status.Should().Be(WebhookDeliveryStatus.Pending);
        completion.Attempt!.Error.Should().Be(WebhookAttemptError.Connection);
        completion.Attempt.ErrorMessage.Should().Contain("Connection refused");
    }

    [Fact]
    public async Task Attempt_Redirect_IsNotFollowedAndCountsAsAFailure()
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("a");
        var elsewhere = h.Endpoint("elsewhere");
        h.Endpoint("a").Responder = (_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Found);
            response.Headers.Location = new Uri(SenderHarness.Url("elsewhere"));
            return Task.FromResult(response);
        };

        await h.Publisher.PublishAsync(new OrderCreated(1));
        var completion = await h.Store.NextCompletionAsync();

        completion.Status.Should().Be(WebhookDeliveryStatus.Pending);
        completion.Attempt!.StatusCode.Should().Be(302);
        completion.Attempt.Error.Should().Be(WebhookAttemptError.HttpStatus);
        completion.Attempt.ErrorMessage.Should().Contain("redirects are not followed");
        elsewhere.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Attempt_RecordsResponseHeadersAndACappedExcerpt()
    {
        await using var h = await SenderHarness.StartAsync(o => o.ResponseExcerptLength = 10);
        await h.SubscribeAsync("a");
        h.Endpoint("a").Responder = (_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("0123456789abcdef") };
            response.Headers.Add("X-Request-Id", "r-1");
            return Task.FromResult(response);
        };

        await h.Publisher.PublishAsync(new OrderCreated(1));
        var completion = await h.Store.NextCompletionAsync();

        completion.Attempt!.ResponseExcerpt.Should().Be("0123456789");
        completion.Attempt.ResponseHeaders.Should().Contain("X-Request-Id", "r-1");
        completion.Attempt.Url.Should().Be(SenderHarness.Url("a"));
    }

    [Fact]
    public async Task Delivery_RetriesExhausted_EndsFailedWithTheReason()
    {
        await using var h = await SenderHarness.StartAsync(o => o.RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)]);
        await h.SubscribeAsync("a");
        h.Endpoint("a").Responder = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError));

        var id = await h.Publisher.PublishAsync(new OrderCreated(1));
        (await h.Store.NextCompletionAsync()).Status.Should().Be(WebhookDeliveryStatus.Pending);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        (await h.Store.NextCompletionAsync()).Status.Should().Be(WebhookDeliveryStatus.Pending);
        h.Time.Advance(TimeSpan.FromSeconds(2));
        var last = await h.Store.NextCompletionAsync();

        last.Status.Should().Be(WebhookDeliveryStatus.Failed);
        last.FailureReason.Should().Contain("3 attempts").And.Contain("500");
        var delivery = (await h.Deliveries.ListDeliveriesAsync(new() { MessageId = id })).Items.Single();
        delivery.Status.Should().Be(WebhookDeliveryStatus.Failed);
        delivery.AttemptCount.Should().Be(3);
        h.Endpoint("a").Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task Delivery_ToASubscriptionDeletedBeforeTheRetry_EndsFailedWithoutARequest()
    {
        await using var h = await SenderHarness.StartAsync();
        var sub = await h.SubscribeAsync("a");
        h.Endpoint("a").Answer(HttpStatusCode.ServiceUnavailable);
        await h.Publisher.PublishAsync(new OrderCreated(1));
        (await h.Store.NextCompletionAsync()).Status.Should().Be(WebhookDeliveryStatus.Pending);

        await h.Subscriptions.DeleteAsync(sub.Id);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        var completion = await h.Store.NextCompletionAsync();

        completion.Status.Should().Be(WebhookDeliveryStatus.Failed);
        completion.FailureReason.Should().Contain("deleted");
        completion.Attempt.Should().BeNull();
        h.Endpoint("a").Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Delivery_ToASubscriptionDisabledBeforeTheRetry_EndsFailedWithTheReason()
    {
        await using var h = await SenderHarness.StartAsync();
        var sub = await h.SubscribeAsync("a");
        h.Endpoint("a").Answer(HttpStatusCode.ServiceUnavailable);
        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Store.NextCompletionAsync();

        await h.Subscriptions.DisableAsync(sub.Id, "owner asked");
        h.Time.Advance(TimeSpan.FromSeconds(5));
        var completion = await h.Store.NextCompletionAsync();

        completion.Status.Should().Be(WebhookDeliveryStatus.Failed);
        completion.FailureReason.Should().Contain("owner asked");
    }

    [Fact]
    public async Task Delivery_AfterRotation_IsSignedWithBothSecretsUntilTheOverlapEnds()
    {
        await using var h = await SenderHarness.StartAsync();
        var sub = await h.SubscribeAsync("a");
        var oldSecret = sub.Secrets[0].Secret;
        var newSecret = WebhookSecret.Generate();
        await h.Subscriptions.RotateSecretAsync(sub.Id, newSecret, TimeSpan.FromHours(1));

        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Store.NextCompletionAsync();
        var during = h.Endpoint("a").Requests.Single();
        var oldAccepts = h.Verify(during, oldSecret).IsValid;
        var newAccepts = h.Verify(during, newSecret).IsValid;
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Publisher.PublishAsync(new OrderCreated(2));
        await h.Store.NextCompletionAsync();

        var requests = h.Endpoint("a").Requests.ToArray();
        requests[0].Header(StandardWebhookHeaders.Signature)!.Split(' ').Should().HaveCount(2);
        oldAccepts.Should().BeTrue();
        newAccepts.Should().BeTrue();
        requests[1].Header(StandardWebhookHeaders.Signature)!.Split(' ').Should().ContainSingle();
        h.Verify(requests[1], newSecret).IsValid.Should().BeTrue();
        h.Verify(requests[1], oldSecret).IsValid.Should().BeFalse();
    }

    [Fact]
    public async Task Dispatcher_PerEndpointLimit_KeepsOtherEndpointsFlowing()
    {
        await using var h = await SenderHarness.StartAsync(o =>
        {
            o.MaxConcurrentAttemptsPerEndpoint = 1;
            o.MaxConcurrentAttempts = 4;
        });
        await h.SubscribeAsync("slow", ["order.*"]);
        await h.SubscribeAsync("fast", ["invoice.*"]);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var concurrent = 0;
        var maxConcurrent = 0;
        h.Endpoint("slow").Responder = async (_, ct) =>
        {
            var now = Interlocked.Increment(ref concurrent);
            InterlockedMax(ref maxConcurrent, now);
            await gate.Task.WaitAsync(ct);
            Interlocked.Decrement(ref concurrent);
            return new HttpResponseMessage(HttpStatusCode.OK);
        };

        for (var i = 0; i < 5; i++)
        {
            await h.Publisher.PublishAsync(new OrderCreated(i));
        }

        await h.Endpoint("slow").NextRequestAsync();
        await h.Publisher.PublishAsync("invoice.paid", new { id = 1 });
        var fast = await h.Store.NextCompletionAsync();
        gate.SetResult();
        await h.Store.CompletionsAsync(5);

        fast.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        h.Endpoint("fast").Requests.Should().ContainSingle();
        h.Endpoint("slow").Requests.Should().HaveCount(5);
        maxConcurrent.Should().Be(1);
    }

    [Fact]
    public async Task Dispatcher_FirstAttempts_GoBeforeABacklogOfDueRetries()
    {
        await using var h = await SenderHarness.StartAsync(o =>
        {
            o.MaxConcurrentAttempts = 1;
            o.BatchSize = 1;
        });
        await h.SubscribeAsync("r", ["order.*"]);
        await h.SubscribeAsync("block", ["block.*"]);
        h.Endpoint("r").Answer(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable);
        for (var i = 0; i < 3; i++)
        {
            await h.Publisher.PublishAsync(new OrderCreated(i));
        }

        await h.Store.CompletionsAsync(3);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Endpoint("block").HoldUntil(gate.Task);
        await h.Publisher.PublishAsync("block.it", new { });
        await h.Endpoint("block").NextRequestAsync();

        // The three retries are now due, but the only slot is busy; then a first attempt arrives.
        h.Time.Advance(TimeSpan.FromSeconds(5));
        var fresh = await h.Publisher.PublishAsync(new OrderCreated(99));
        for (var i = 0; i < 3; i++)
        {
            await h.Endpoint("r").NextRequestAsync();
        }

        gate.SetResult();
        var next = await h.Endpoint("r").NextRequestAsync();

        next.Header(StandardWebhookHeaders.Id).Should().Be(fresh);
    }

    [Fact]
    public async Task Dispatcher_StoreOutage_IsLoggedAndRetriedAfterThePollInterval()
    {
        var poll = TimeSpan.FromSeconds(5);
        await using var h = await SenderHarness.StartAsync(o => o.PollInterval = poll, s => s.AddFakeLogging());
        await h.SubscribeAsync("a");

        // Idle: the loop has made its first claim and waits out the poll interval on the fake clock.
        await h.Time.WaitForTimerAsync(poll);
        h.Store.FailingClaims = 1;
        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Store.ClaimFailed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The publish woke the loop (its idle timer is gone); the failed claim arms a new poll-interval wait.
        await h.Time.WaitForTimerAsync(poll);
        h.Endpoint("a").Requests.Should().BeEmpty();
        h.Store.TryTakeCompletion(out _).Should().BeFalse();

        h.Time.Advance(poll);
        var completion = await h.Store.NextCompletionAsync();

        h.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Should().Contain(r => r.Id.Id == 1302);
        completion.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        h.Endpoint("a").Requests.Should().ContainSingle();
        h.Dispatcher.ExecuteTask!.IsCompleted.Should().BeFalse("a store error never stops the dispatcher");
    }

    [Fact]
    public async Task Dispatcher_Shutdown_LetsRunningAttemptsFinish()
    {
        var h = await SenderHarness.StartAsync();
        await using var owned = h;
        await h.SubscribeAsync("a");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Endpoint("a").HoldUntil(release.Task);
        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Endpoint("a").NextRequestAsync();

        var stopping = h.Dispatcher.StopAsync(CancellationToken.None);
        stopping.IsCompleted.Should().BeFalse();
        release.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        var completion = await h.Store.NextCompletionAsync();
        completion.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
    }

    [Fact]
    public async Task Dispatcher_ShutdownTimeout_ReleasesUnfinishedDeliveriesForLater()
    {
        var h = await SenderHarness.StartAsync(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        await using var owned = h;
        await h.SubscribeAsync("a");
        h.Endpoint("a").Responder = async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        };
        var id = await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Endpoint("a").NextRequestAsync();

        var stopping = h.Dispatcher.StopAsync(CancellationToken.None);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        var released = await h.Store.NextReleaseAsync();
        var delivery = await h.Deliveries.GetDeliveryAsync(released);
        delivery!.MessageId.Should().Be(id);
        delivery.Status.Should().Be(WebhookDeliveryStatus.Pending);
        delivery.AttemptCount.Should().Be(0);
        h.Store.TryTakeCompletion(out _).Should().BeFalse();
    }

    private static async Task<WebhookDeliveryCompletion> FirstOutcomeWithRetryAfterAsync(SenderHarness h, HttpStatusCode status, RetryConditionHeaderValue retryAfter)
    {
        h.Endpoint("a").Responder = (_, _) =>
        {
            var response = new HttpResponseMessage(status);
            response.Headers.RetryAfter = retryAfter;
            return Task.FromResult(response);
        };

        await h.Publisher.PublishAsync(new OrderCreated(1));
        return await h.Store.NextCompletionAsync();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
