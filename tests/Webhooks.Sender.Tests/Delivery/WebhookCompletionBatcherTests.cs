using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Webhooks.Sender.Delivery;
using Webhooks.Sender;
using Webhooks.Sender.Storage;

namespace Webhooks.Sender.Tests.Delivery;

public sealed class WebhookCompletionBatcherTests
{
    [Fact]
    public async Task Completions_ThatArriveWhileABatchIsBeingWritten_GoToTheStoreTogether()
    {
        var store = new GatedStore();
        var flushed = 0;
        var batcher = new WebhookCompletionBatcher(store, 256, new FakeLogger(), () => Interlocked.Increment(ref flushed));

        var first = batcher.CompleteAsync(Completion("dlv_1"));
        await store.CallStarted.WaitAsync(TimeSpan.FromSeconds(10));
        var rest = Enumerable.Range(2, 5).Select(i => batcher.CompleteAsync(Completion($"dlv_{i}"))).ToArray();
        batcher.Unstored.Should().Be(6);
        store.Open();

        (await first.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(WebhookCompletionResult.Completed);
        (await Task.WhenAll(rest).WaitAsync(TimeSpan.FromSeconds(10))).Should().AllBeEquivalentTo(WebhookCompletionResult.Completed);
        store.Batches.Select(b => b.Length).Should().Equal(1, 5);
        store.Batches[1].Select(c => c.DeliveryId).Should().Equal("dlv_2", "dlv_3", "dlv_4", "dlv_5", "dlv_6");
        batcher.Unstored.Should().Be(0);
        Volatile.Read(ref flushed).Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task ABatchLargerThanTheLimit_IsWrittenInSeveralCalls()
    {
        var store = new GatedStore();
        var batcher = new WebhookCompletionBatcher(store, 2, new FakeLogger(), static () => { });

        var first = batcher.CompleteAsync(Completion("dlv_0"));
        await store.CallStarted.WaitAsync(TimeSpan.FromSeconds(10));
        var rest = Enumerable.Range(1, 5).Select(i => batcher.CompleteAsync(Completion($"dlv_{i}"))).ToArray();
        store.Open();

        await Task.WhenAll(rest.Append(first)).WaitAsync(TimeSpan.FromSeconds(10));
        store.Batches.Select(b => b.Length).Should().Equal(1, 2, 2, 1);
    }

    [Fact]
    public async Task WhenTheBatchFails_EachCompletionIsWrittenOnItsOwn_AndOnlyTheBadOneFails()
    {
        var store = new GatedStore { FailBatchesOfMoreThanOne = true, FailDeliveryId = "dlv_bad" };
        var batcher = new WebhookCompletionBatcher(store, 256, new FakeLogger(), static () => { });

        var first = batcher.CompleteAsync(Completion("dlv_0"));
        await store.CallStarted.WaitAsync(TimeSpan.FromSeconds(10));
        var good = batcher.CompleteAsync(Completion("dlv_good"));
        var bad = batcher.CompleteAsync(Completion("dlv_bad"));
        store.Open();

        (await first.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(WebhookCompletionResult.Completed);
        (await good.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(WebhookCompletionResult.Completed);
        var act = () => bad.WaitAsync(TimeSpan.FromSeconds(10));
        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*dlv_bad*");
        store.Singles.Should().BeEquivalentTo(["dlv_good", "dlv_bad"]);
        batcher.Unstored.Should().Be(0);
    }

    [Fact]
    public async Task AResultTheStoreTurnedDown_IsLoggedAndReturned()
    {
        var store = new GatedStore { Result = WebhookCompletionResult.LeaseLost };
        store.Open();
        var logger = new FakeLogger();
        var batcher = new WebhookCompletionBatcher(store, 256, logger, static () => { });

        var result = await batcher.CompleteAsync(Completion("dlv_1")).WaitAsync(TimeSpan.FromSeconds(10));

        result.Should().Be(WebhookCompletionResult.LeaseLost);
        logger.Collector.GetSnapshot().Should().Contain(r => r.Level == LogLevel.Warning || r.Level == LogLevel.Information || r.Level == LogLevel.Error)
            .Which.Message.Should().Contain("dlv_1");
    }

    private static WebhookDeliveryCompletion Completion(string deliveryId) => new()
    {
        DeliveryId = deliveryId,
        LeaseId = "lease",
        Status = WebhookDeliveryStatus.Succeeded,
    };

    /// <summary>A store whose calls wait until <see cref="Open"/>, recording each batch.</summary>
    private sealed class GatedStore : IWebhookStore
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<WebhookDeliveryCompletion[]> Batches { get; } = [];

        public List<string> Singles { get; } = [];

        public bool FailBatchesOfMoreThanOne { get; init; }

        public string? FailDeliveryId { get; init; }

        public WebhookCompletionResult Result { get; init; } = WebhookCompletionResult.Completed;

        public Task CallStarted => _started.Task;

        public void Open() => _open.TrySetResult();

        public async Task<IReadOnlyList<WebhookCompletionResult>> CompleteManyAsync(IReadOnlyList<WebhookDeliveryCompletion> completions, CancellationToken cancellationToken = default)
        {
            _started.TrySetResult();
            await _open.Task;
            lock (Batches)
            {
                Batches.Add([.. completions]);
            }

            if (FailBatchesOfMoreThanOne && completions.Count > 1)
            {
                throw new InvalidOperationException("The batch failed.");
            }

            return completions.Select(_ => Result).ToArray();
        }

        public async Task<WebhookCompletionResult> CompleteAsync(WebhookDeliveryCompletion completion, CancellationToken cancellationToken = default)
        {
            await _open.Task;
            lock (Singles)
            {
                Singles.Add(completion.DeliveryId);
            }

            return completion.DeliveryId == FailDeliveryId ? throw new InvalidOperationException($"Cannot store {completion.DeliveryId}.") : Result;
        }

        public Task CreateSubscriptionAsync(Core.WebhookSubscription subscription, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Core.WebhookSubscription?> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> UpdateSubscriptionAsync(Core.WebhookSubscription subscription, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<WebhookPage<Core.WebhookSubscription>> ListSubscriptionsAsync(WebhookSubscriptionQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<Core.WebhookSubscription>> FindSubscriptionsAsync(string? tenantId, string eventType, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<WebhookEnqueueResult> EnqueueAsync(WebhookMessage message, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<WebhookMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<WebhookPage<WebhookMessage>> ListMessagesAsync(WebhookMessageQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<WebhookDeliveryClaim>> ClaimAsync(WebhookClaimRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> ReleaseAsync(string deliveryId, string leaseId, DateTimeOffset? nextAttemptAt = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<DateTimeOffset?> GetNextDueTimeAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<long> CountUnfinishedAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<WebhookPage<WebhookDelivery>> ListDeliveriesAsync(WebhookDeliveryQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<WebhookPage<WebhookAttempt>> ListAttemptsAsync(WebhookAttemptQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<WebhookDelivery?> RedeliverAsync(string messageId, string subscriptionId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<int> RecoverAsync(string subscriptionId, DateTimeOffset since, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
