using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RichardSzalay.MockHttp;
using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Delivery;

/// <summary>Failures injected at each store call and in logging: the loop survives, outcomes are stored, shutdown ends.</summary>
public sealed class WebhookDispatcherResilienceTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(nameof(IWebhookStore.CountUnfinishedAsync), 1302)]
    [InlineData(nameof(IWebhookStore.ClaimAsync), 1302)]
    [InlineData(nameof(IWebhookStore.GetNextDueTimeAsync), 1302)]
    [InlineData(nameof(IWebhookStore.GetSubscriptionAsync), 1308)]
    [InlineData(nameof(IWebhookStore.CompleteAsync), 1308)]
    public async Task Dispatcher_StoreFailsOnceAtAnyCall_IsLoggedAndTheDeliveryStillSucceeds(string operation, int eventId)
    {
        await using var h = await SenderHarness.StartAsync(o => o.PollInterval = Poll, s => s.AddFakeLogging());
        await h.SubscribeAsync("a");
        h.Store.FailNext(operation);

        // A first delivery that completes makes the idle computation (GetNextDueTime) run before the second one.
        await h.Publisher.PublishAsync(new OrderCreated(0));
        await AdvanceUntilAsync(h, () => h.Store.Faulted.Task.IsCompleted);
        await h.Publisher.PublishAsync(new OrderCreated(1));
        var stored = await AdvanceUntilStoredAsync(h, 2);

        stored.Should().OnlyContain(c => c.Status == WebhookDeliveryStatus.Succeeded);
        h.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Should().Contain(r => r.Id.Id == eventId);
        h.Dispatcher.ExecuteTask!.IsCompleted.Should().BeFalse("a store error never stops the dispatcher");
        await h.Dispatcher.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        h.Dispatcher.ExecuteTask.IsCompleted.Should().BeTrue();
    }

    [Fact]
    public async Task Dispatcher_ThrowingLogger_StillStoresEveryOutcomeAndStops()
    {
        var provider = new ThrowingLoggerProvider("Webhooks.Sender.Delivery");
        await using var h = await SenderHarness.StartAsync(o => o.PollInterval = Poll, s => s.AddLogging(b => b.AddProvider(provider)));
        await h.SubscribeAsync("a");
        await h.SubscribeAsync("gone", ["order.*"]);
        h.Endpoint("a").Answer(HttpStatusCode.ServiceUnavailable);
        h.Endpoint("gone").Responder = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.Gone));

        for (var i = 0; i < 3; i++)
        {
            await h.Publisher.PublishAsync(new OrderCreated(i));
        }

        // 3 to "gone" (410: failed) and 3 to "a" (one 503 and its retry, then successes).
        var stored = await AdvanceUntilStoredAsync(h, 7);

        stored.Count(c => c.Status == WebhookDeliveryStatus.Succeeded).Should().Be(3);
        stored.Count(c => c.Status == WebhookDeliveryStatus.Failed).Should().Be(3);
        provider.Thrown.Should().BePositive("the dispatcher and the batcher did log through the failing provider");
        await h.Dispatcher.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        h.Dispatcher.ExecuteTask!.IsCompleted.Should().BeTrue();
    }

    [Fact]
    public async Task Dispatcher_ClaimBeyondTheEndpointLimit_ReleasesTheSurplusInOneCallAfterStartingTheRest()
    {
        await using var h = SenderHarness.Create(o => o.MaxConcurrentAttemptsPerEndpoint = 1);
        await h.SubscribeAsync("busy", ["order.*"]);
        await h.SubscribeAsync("other", ["invoice.*"]);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Endpoint("busy").HoldUntil(gate.Task);
        h.Store.IgnoreClaimLimits = true;
        for (var i = 0; i < 4; i++)
        {
            await h.Publisher.PublishAsync(new OrderCreated(i));
        }

        await h.Publisher.PublishAsync("invoice.paid", new { id = 1 });
        await h.StartDispatcherAsync();

        await h.Endpoint("busy").NextRequestAsync();
        var other = await h.Store.NextCompletionAsync();
        var firstCall = await h.Store.NextReleaseCallAsync();

        other.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        firstCall.Should().Be(3, "the three deliveries the busy endpoint could not take go back in one call");
        gate.SetResult();
    }

    [Fact]
    public async Task Dispatcher_ReleaseThatThrows_LeavesNoOtherDeliveryOfTheBatchUnstarted()
    {
        await using var h = SenderHarness.Create(o => o.MaxConcurrentAttemptsPerEndpoint = 1, s => s.AddFakeLogging());
        await h.SubscribeAsync("busy", ["order.*"]);
        await h.SubscribeAsync("other", ["invoice.*"]);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Endpoint("busy").HoldUntil(gate.Task);
        h.Store.IgnoreClaimLimits = true;
        h.Store.ReleaseFailure = new InvalidOperationException("The store cannot release.");
        for (var i = 0; i < 3; i++)
        {
            await h.Publisher.PublishAsync(new OrderCreated(i));
        }

        await h.Publisher.PublishAsync("invoice.paid", new { id = 1 });
        await h.Publisher.PublishAsync("invoice.paid", new { id = 2 });
        await h.StartDispatcherAsync();

        await h.Endpoint("busy").NextRequestAsync();
        var other = await h.Store.NextCompletionAsync();
        var calls = new[] { await h.Store.NextReleaseCallAsync(), await h.Store.NextReleaseCallAsync(), await h.Store.NextReleaseCallAsync(), await h.Store.NextReleaseCallAsync() };

        // Both endpoints took one delivery each although the release of the other three failed.
        other.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        calls.Should().Equal([3, 1, 1, 1], "one batched call, then each of the three on its own");
        h.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Should().Contain(r => r.Id.Id == 1310);
        gate.SetResult();
    }

    [Fact]
    public async Task Dispatcher_RetryWithoutAResponse_LogsNoResponseInsteadOfAMissingStatus()
    {
        await using var h = await SenderHarness.StartAsync(o => o.RetryDelays = [TimeSpan.FromHours(1)], s => s.AddFakeLogging());
        h.Http.When(HttpMethod.Post, SenderHarness.Url("down")).Throw(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));
        await h.Subscriptions.CreateAsync(new Webhooks.Sender.WebhookSubscriptionCreateRequest(SenderHarness.Url("down")));

        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Store.NextCompletionAsync();
        await h.Dispatcher.NoAttemptsAsync().WaitAsync(TimeSpan.FromSeconds(10));

        var record = h.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Single(r => r.Id.Id == 1304);
        record.Message.Should().Contain("no response").And.NotContain("(null)").And.NotContain("HTTP ");
    }

    [Fact]
    public async Task Dispatcher_DueRetry_IsClaimedAfterTheAgingBoundWhileFirstAttemptsKeepComing()
    {
        var bound = TimeSpan.FromMinutes(1);
        var step = TimeSpan.FromSeconds(10);
        await using var h = await SenderHarness.StartAsync(o =>
        {
            o.MaxConcurrentAttempts = 1;
            o.BatchSize = 1;
            o.RetryDelays = [TimeSpan.FromSeconds(5)];
            o.RetryAgingThreshold = bound;
        });
        await h.SubscribeAsync("r", ["retry.*"]);
        var f = await h.SubscribeAsync("f", ["order.*"]);
        h.Endpoint("r").Answer(HttpStatusCode.ServiceUnavailable);
        var permits = new SemaphoreSlim(0);
        h.Endpoint("f").Responder = async (_, ct) =>
        {
            await permits.WaitAsync(ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        };

        await h.Publisher.PublishAsync("retry.it", new { });
        await h.Endpoint("r").NextRequestAsync();
        var failed = await h.Store.NextCompletionAsync();
        var retryDue = failed.NextAttemptAt!.Value;
        // First attempts are published before the retry falls due, so the dispatcher never sees the retry alone.
        for (var i = 0; i < 3; i++)
        {
            await h.Publisher.PublishAsync(new OrderCreated(i));
        }

        h.Time.Advance(TimeSpan.FromSeconds(6));

        // Sustained overload: one first attempt ends and a new one is published every step, so some are always due.
        var retried = h.Endpoint("r").NextRequestAsync(TimeSpan.FromSeconds(30));
        DateTimeOffset? retriedAt = null;
        for (var i = 0; i < 20 && retriedAt is null; i++)
        {
            var sending = h.Endpoint("f").NextRequestAsync();
            if (await Task.WhenAny(sending, retried) == retried)
            {
                retriedAt = h.Time.GetUtcNow();
                break;
            }

            await h.Publisher.PublishAsync(new OrderCreated(100 + i));
            h.Time.Advance(step);
            permits.Release();
        }

        retriedAt.Should().NotBeNull("the retry is claimed once it has been due for the bound");
        (retriedAt!.Value - retryDue).Should().BeGreaterThanOrEqualTo(bound).And.BeLessThan(bound + step + step);
        (await h.Deliveries.ListDeliveriesAsync(new WebhookDeliveryQuery { SubscriptionId = f.Id, Status = WebhookDeliveryStatus.Pending }))
            .Items.Should().NotBeEmpty("first attempts were still waiting when the retry went");
        permits.Release(100);
    }

    /// <summary>
    /// Moves the clock a poll interval at a time, until the condition holds: each time once no attempt runs (so no
    /// attempt sees more than one step, far below its timeout and lease), then until the loop waits again.
    /// </summary>
    private static async Task AdvanceUntilAsync(SenderHarness h, Func<bool> done)
    {
        for (var i = 0; i < 100 && !done(); i++)
        {
            await h.Dispatcher.NoAttemptsAsync().WaitAsync(TimeSpan.FromSeconds(10));
            var waits = h.Dispatcher.Waits;
            h.Time.Advance(Poll);
            await h.Dispatcher.WaitingAsync(waits).WaitAsync(TimeSpan.FromSeconds(10));
        }

        done().Should().BeTrue();
    }

    private static async Task<List<WebhookDeliveryCompletion>> AdvanceUntilStoredAsync(SenderHarness h, int count)
    {
        var stored = new List<WebhookDeliveryCompletion>();
        await AdvanceUntilAsync(h, () =>
        {
            while (h.Store.TryTakeCompletion(out var completion))
            {
                stored.Add(completion!);
            }

            return stored.Count >= count;
        });
        return stored;
    }
}
