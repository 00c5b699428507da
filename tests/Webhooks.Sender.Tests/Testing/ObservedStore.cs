using System.Threading.Channels;
using Webhooks.Core;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Testing;

/// <summary>A store wrapper that reports every stored completion and release, so tests await outcomes instead of sleeping.</summary>
internal sealed class ObservedStore(IWebhookStore inner) : IWebhookStore, IWebhookStoreNotifications, IWebhookStoreGroupEnqueue
{
    /// <inheritdoc />
    public event EventHandler? DeliveriesDue;

    /// <summary>Plays the part of a cross-instance notification (PostgreSQL's NOTIFY).</summary>
    public void RaiseDeliveriesDue() => DeliveriesDue?.Invoke(this, EventArgs.Empty);

    private readonly Channel<WebhookDeliveryCompletion> _completions = Channel.CreateUnbounded<WebhookDeliveryCompletion>();
    private readonly Channel<string> _releases = Channel.CreateUnbounded<string>();

    public IWebhookStore Inner { get; } = inner;

    /// <summary>Waits for the next completion the store accepted.</summary>
    public async Task<WebhookDeliveryCompletion> NextCompletionAsync(TimeSpan? timeout = null)
    {
        // A cancelled read leaves the channel, so a completion that arrives later is not swallowed by a timed-out wait.
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            return await _completions.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException("No completion was stored in time.");
        }
    }

    /// <summary>Waits for <paramref name="count"/> completions.</summary>
    public async Task<List<WebhookDeliveryCompletion>> CompletionsAsync(int count, TimeSpan? timeout = null)
    {
        var list = new List<WebhookDeliveryCompletion>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(await NextCompletionAsync(timeout));
        }

        return list;
    }

    /// <summary>Returns whether a completion is already waiting (without waiting).</summary>
    public bool TryTakeCompletion(out WebhookDeliveryCompletion? completion) => _completions.Reader.TryRead(out completion);

    public async Task<string> NextReleaseAsync(TimeSpan? timeout = null) =>
        await _releases.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>Gets or sets a task every completion waits for before it is stored (a slow store); none when null.</summary>
    public Task? CompletionGate { get; set; }

    /// <summary>Gets a task that completes when the first completion reaches <see cref="CompletionGate"/>.</summary>
    public Task CompletionWaiting => _completionWaiting.Task;

    private readonly TaskCompletionSource _completionWaiting = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<WebhookCompletionResult> CompleteAsync(WebhookDeliveryCompletion completion, CancellationToken cancellationToken = default)
    {
        if (Fault<WebhookCompletionResult>(nameof(CompleteAsync)) is { } fault)
        {
            return await fault;
        }

        if (CompletionGate is { } gate)
        {
            _completionWaiting.TrySetResult();
            await gate;
        }

        var result = await Inner.CompleteAsync(completion, cancellationToken);
        if (result == WebhookCompletionResult.Completed)
        {
            _completions.Writer.TryWrite(completion);
        }

        return result;
    }

    /// <summary>Gets how many claims were made.</summary>
    public int ClaimCalls => Volatile.Read(ref _claimCalls);

    /// <summary>Gets how many release calls (single or batched) reached the store.</summary>
    public int ReleaseCalls => Volatile.Read(ref _releaseCalls);

    /// <summary>Gets how many deliveries were handed to release calls.</summary>
    public int ReleasedDeliveries => Volatile.Read(ref _releasedDeliveries);

    /// <summary>Gets or sets a failure every release call throws (a store that cannot release); none when null.</summary>
    public Exception? ReleaseFailure { get; set; }

    private int _claimCalls;
    private int _enqueueManyCalls;
    private int _lastEnqueueBatchSize;
    private int _releaseCalls;
    private int _releasedDeliveries;

    /// <summary>Waits for the next release call and returns how many deliveries it carried (1 for a single release).</summary>
    public async Task<int> NextReleaseCallAsync() => await _releaseCallSizes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    private readonly Channel<int> _releaseCallSizes = Channel.CreateUnbounded<int>();

    public async Task<int> ReleaseManyAsync(IReadOnlyList<WebhookDeliveryRelease> releases, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _releaseCalls);
        _releaseCallSizes.Writer.TryWrite(releases.Count);
        Interlocked.Add(ref _releasedDeliveries, releases.Count);
        if (ReleaseFailure is { } failure)
        {
            throw failure;
        }

        var released = await Inner.ReleaseManyAsync(releases, cancellationToken);
        foreach (var release in releases)
        {
            if ((await Inner.GetDeliveryAsync(release.DeliveryId, cancellationToken))?.Status == WebhookDeliveryStatus.Pending)
            {
                _releases.Writer.TryWrite(release.DeliveryId);
            }
        }

        return released;
    }

    public async Task<bool> ReleaseAsync(string deliveryId, string leaseId, DateTimeOffset? nextAttemptAt = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _releaseCalls);
        _releaseCallSizes.Writer.TryWrite(1);
        Interlocked.Increment(ref _releasedDeliveries);
        if (ReleaseFailure is { } failure)
        {
            throw failure;
        }

        var released = await Inner.ReleaseAsync(deliveryId, leaseId, nextAttemptAt, cancellationToken);
        if (released)
        {
            _releases.Writer.TryWrite(deliveryId);
        }

        return released;
    }

    public Task CreateSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default) => Inner.CreateSubscriptionAsync(subscription, cancellationToken);

    public Task<WebhookSubscription?> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default) =>
        Fault<WebhookSubscription?>(nameof(GetSubscriptionAsync)) ?? Inner.GetSubscriptionAsync(subscriptionId, cancellationToken);

    public Task<bool> UpdateSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default) => Inner.UpdateSubscriptionAsync(subscription, cancellationToken);

    public Task<bool> DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default) => Inner.DeleteSubscriptionAsync(subscriptionId, cancellationToken);

    public Task<WebhookPage<WebhookSubscription>> ListSubscriptionsAsync(WebhookSubscriptionQuery query, CancellationToken cancellationToken = default) => Inner.ListSubscriptionsAsync(query, cancellationToken);

    public Task<IReadOnlyList<WebhookSubscription>> FindSubscriptionsAsync(string? tenantId, string eventType, CancellationToken cancellationToken = default) => Inner.FindSubscriptionsAsync(tenantId, eventType, cancellationToken);

    /// <summary>Gets or sets whether the publisher may combine enqueues (<see cref="IWebhookStoreGroupEnqueue"/>); off by default.</summary>
    public bool GroupEnqueue { get; set; }

    /// <summary>Gets or sets a condition read in the caller's context that turns group enqueue off (a caller's own transaction).</summary>
    public Func<bool>? OwnTransaction { get; set; }

    /// <inheritdoc />
    public bool CanGroupEnqueue => GroupEnqueue && OwnTransaction?.Invoke() != true;

    /// <summary>
    /// Gets or sets what every enqueue call (single or batch) awaits before it writes, given the call's messages (a slow
    /// or gated store); none when null.
    /// </summary>
    public Func<EnqueueCall, Task>? EnqueueGate { get; set; }

    /// <summary>Gets or sets a failure for a message: a batch holding it fails whole, a single write of it fails; none when null.</summary>
    public Func<WebhookMessage, Exception?>? EnqueueFailure { get; set; }

    public async Task<WebhookEnqueueResult> EnqueueAsync(WebhookMessage message, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        await EnterEnqueueAsync(new EnqueueCall(false, [message]));
        return await Inner.EnqueueAsync(message, deliveries, cancellationToken);
    }

    /// <summary>Gets how many times <see cref="EnqueueManyAsync"/> was called, and the size of the last batch.</summary>
    public (int Calls, int LastBatchSize) EnqueueManyCalls => (Volatile.Read(ref _enqueueManyCalls), Volatile.Read(ref _lastEnqueueBatchSize));

    public async Task<IReadOnlyList<WebhookEnqueueResult>> EnqueueManyAsync(IReadOnlyList<WebhookEnqueueItem> items, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _enqueueManyCalls);
        Volatile.Write(ref _lastEnqueueBatchSize, items.Count);
        await EnterEnqueueAsync(new EnqueueCall(true, [.. items.Select(i => i.Message)]));
        return await Inner.EnqueueManyAsync(items, cancellationToken);
    }

    private async Task EnterEnqueueAsync(EnqueueCall call)
    {
        if (EnqueueGate is { } gate)
        {
            await gate(call);
        }

        if (EnqueueFailure is { } failure && call.Messages.Select(failure).FirstOrDefault(f => f is not null) is { } exception)
        {
            throw exception;
        }
    }

    /// <summary>One enqueue call as the store saw it.</summary>
    /// <param name="Batch">Whether it was <see cref="EnqueueManyAsync"/>.</param>
    /// <param name="Messages">Its messages.</param>
    public sealed record EnqueueCall(bool Batch, IReadOnlyList<WebhookMessage> Messages);

    public Task<WebhookMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken = default) => Inner.GetMessageAsync(messageId, cancellationToken);

    public Task<WebhookPage<WebhookMessage>> ListMessagesAsync(WebhookMessageQuery query, CancellationToken cancellationToken = default) => Inner.ListMessagesAsync(query, cancellationToken);

    /// <summary>Gets a task that completes when a claim was made to fail.</summary>
    public TaskCompletionSource ClaimFailed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets or sets how many of the next claims fail, as a store outage would.</summary>
    public int FailingClaims { get; set; }

    /// <summary>Gets or sets a task every claim waits for before it runs (a store that hangs); none when null.</summary>
    public Task? ClaimGate { get; set; }

    /// <summary>Gets a task that completes when a claim reaches <see cref="ClaimGate"/>.</summary>
    public TaskCompletionSource ClaimWaiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<IReadOnlyList<WebhookDeliveryClaim>> ClaimAsync(WebhookClaimRequest request, CancellationToken cancellationToken = default)
    {
        if (ClaimGate is { } gate)
        {
            ClaimWaiting.TrySetResult();
            await gate.WaitAsync(cancellationToken);
        }

        return await ClaimCoreAsync(request, cancellationToken);
    }

    private Task<IReadOnlyList<WebhookDeliveryClaim>> ClaimCoreAsync(WebhookClaimRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _claimCalls);
        if (FailingClaims > 0)
        {
            FailingClaims--;
            ClaimFailed.TrySetResult();
            throw new InvalidOperationException("The store is unavailable.");
        }

        if (IgnoreClaimLimits)
        {
            request = request with { ExcludedSubscriptionIds = [], SubscriptionCapacity = new Dictionary<string, int>(), MaxPerSubscription = int.MaxValue };
        }

        return Fault<IReadOnlyList<WebhookDeliveryClaim>>(nameof(ClaimAsync)) ?? Inner.ClaimAsync(request, cancellationToken);
    }

    /// <summary>Gets or sets a value indicating whether claims ignore the caller's per-subscription limits (a store that predates them).</summary>
    public bool IgnoreClaimLimits { get; set; }

    public Task<DateTimeOffset?> GetNextDueTimeAsync(CancellationToken cancellationToken = default) =>
        Fault<DateTimeOffset?>(nameof(GetNextDueTimeAsync)) ?? Inner.GetNextDueTimeAsync(cancellationToken);

    public Task<long> CountUnfinishedAsync(CancellationToken cancellationToken = default) =>
        Fault<long>(nameof(CountUnfinishedAsync)) ?? Inner.CountUnfinishedAsync(cancellationToken);

    /// <summary>Makes the next call of the named operation (a method name of <see cref="IWebhookStore"/>) throw.</summary>
    public void FailNext(string operation) => _faults.AddOrUpdate(operation, 1, (_, n) => n + 1);

    /// <summary>Gets a task that completes when a fault set with <see cref="FailNext"/> was thrown.</summary>
    public TaskCompletionSource Faulted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _faults = new(StringComparer.Ordinal);

    private Task<T>? Fault<T>(string operation)
    {
        while (_faults.TryGetValue(operation, out var left) && left > 0)
        {
            if (_faults.TryUpdate(operation, left - 1, left))
            {
                Faulted.TrySetResult();
                return Task.FromException<T>(new InvalidOperationException($"The store failed in {operation} (injected)."));
            }
        }

        return null;
    }

    public Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default) => Inner.GetDeliveryAsync(deliveryId, cancellationToken);

    public Task<WebhookPage<WebhookDelivery>> ListDeliveriesAsync(WebhookDeliveryQuery query, CancellationToken cancellationToken = default) => Inner.ListDeliveriesAsync(query, cancellationToken);

    public Task<WebhookPage<WebhookAttempt>> ListAttemptsAsync(WebhookAttemptQuery query, CancellationToken cancellationToken = default) => Inner.ListAttemptsAsync(query, cancellationToken);

    public Task<WebhookDelivery?> RedeliverAsync(string messageId, string subscriptionId, CancellationToken cancellationToken = default) => Inner.RedeliverAsync(messageId, subscriptionId, cancellationToken);

    public Task<int> RecoverAsync(string subscriptionId, DateTimeOffset since, CancellationToken cancellationToken = default) => Inner.RecoverAsync(subscriptionId, since, cancellationToken);
}
