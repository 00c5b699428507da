using System.Threading.Channels;
using Webhooks.Core;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Testing;

/// <summary>A store wrapper that reports every stored completion and release, so tests await outcomes instead of sleeping.</summary>
internal sealed class ObservedStore(IWebhookStore inner) : IWebhookStore, IWebhookStoreNotifications
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

    public async Task<bool> ReleaseAsync(string deliveryId, string leaseId, DateTimeOffset? nextAttemptAt = null, CancellationToken cancellationToken = default)
    {
        var released = await Inner.ReleaseAsync(deliveryId, leaseId, nextAttemptAt, cancellationToken);
        if (released)
        {
            _releases.Writer.TryWrite(deliveryId);
        }

        return released;
    }

    public Task CreateSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default) => Inner.CreateSubscriptionAsync(subscription, cancellationToken);

    public Task<WebhookSubscription?> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default) => Inner.GetSubscriptionAsync(subscriptionId, cancellationToken);

    public Task<bool> UpdateSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default) => Inner.UpdateSubscriptionAsync(subscription, cancellationToken);

    public Task<bool> DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default) => Inner.DeleteSubscriptionAsync(subscriptionId, cancellationToken);

    public Task<WebhookPage<WebhookSubscription>> ListSubscriptionsAsync(WebhookSubscriptionQuery query, CancellationToken cancellationToken = default) => Inner.ListSubscriptionsAsync(query, cancellationToken);

    public Task<IReadOnlyList<WebhookSubscription>> FindSubscriptionsAsync(string? tenantId, string eventType, CancellationToken cancellationToken = default) => Inner.FindSubscriptionsAsync(tenantId, eventType, cancellationToken);

    public Task<WebhookEnqueueResult> EnqueueAsync(WebhookMessage message, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default) => Inner.EnqueueAsync(message, deliveries, cancellationToken);

    public Task<WebhookMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken = default) => Inner.GetMessageAsync(messageId, cancellationToken);

    public Task<WebhookPage<WebhookMessage>> ListMessagesAsync(WebhookMessageQuery query, CancellationToken cancellationToken = default) => Inner.ListMessagesAsync(query, cancellationToken);

    /// <summary>Gets a task that completes when a claim was made to fail.</summary>
    public TaskCompletionSource ClaimFailed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets or sets how many of the next claims fail, as a store outage would.</summary>
    public int FailingClaims { get; set; }

    public Task<IReadOnlyList<WebhookDeliveryClaim>> ClaimAsync(WebhookClaimRequest request, CancellationToken cancellationToken = default)
    {
        if (FailingClaims > 0)
        {
            FailingClaims--;
            ClaimFailed.TrySetResult();
            throw new InvalidOperationException("The store is unavailable.");
        }

        return Inner.ClaimAsync(request, cancellationToken);
    }

    public Task<DateTimeOffset?> GetNextDueTimeAsync(CancellationToken cancellationToken = default) => Inner.GetNextDueTimeAsync(cancellationToken);

    public Task<long> CountUnfinishedAsync(CancellationToken cancellationToken = default) => Inner.CountUnfinishedAsync(cancellationToken);

    public Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default) => Inner.GetDeliveryAsync(deliveryId, cancellationToken);

    public Task<WebhookPage<WebhookDelivery>> ListDeliveriesAsync(WebhookDeliveryQuery query, CancellationToken cancellationToken = default) => Inner.ListDeliveriesAsync(query, cancellationToken);

    public Task<WebhookPage<WebhookAttempt>> ListAttemptsAsync(WebhookAttemptQuery query, CancellationToken cancellationToken = default) => Inner.ListAttemptsAsync(query, cancellationToken);

    public Task<WebhookDelivery?> RedeliverAsync(string messageId, string subscriptionId, CancellationToken cancellationToken = default) => Inner.RedeliverAsync(messageId, subscriptionId, cancellationToken);

    public Task<int> RecoverAsync(string subscriptionId, DateTimeOffset since, CancellationToken cancellationToken = default) => Inner.RecoverAsync(subscriptionId, since, cancellationToken);
}
