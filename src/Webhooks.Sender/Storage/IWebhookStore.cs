using Webhooks.Core;

namespace Webhooks.Sender.Storage;

/// <summary>
/// Where the sender keeps subscriptions, messages, deliveries and attempts. One contract, several stores (in-memory,
/// SQLite, PostgreSQL); the conformance suite in the test project pins its behaviour.
/// </summary>
/// <remarks>
/// <para>
/// Every operation is one statement or one short transaction, and none loads a whole table: lists are keyset-paged
/// (newest first, by id descending; ids are time-sortable), claims are bounded and use an index over due rows.
/// The store reads the current time from the <see cref="TimeProvider"/> it was built with.
/// </para>
/// <para>
/// Delivery life cycle: <see cref="EnqueueAsync"/> inserts a message with its deliveries (<see cref="WebhookDeliveryStatus.Pending"/>);
/// <see cref="ClaimAsync"/> moves due ones to <see cref="WebhookDeliveryStatus.InFlight"/> under a fresh lease id;
/// <see cref="CompleteAsync"/> logs the attempt and sets the next state, guarded by that lease id;
/// <see cref="ReleaseAsync"/> hands an unattempted claim back. An in-flight delivery whose lease has expired is due again.
/// </para>
/// </remarks>
public interface IWebhookStore
{
    /// <summary>Inserts a subscription.</summary>
    /// <param name="subscription">The subscription, with its id set.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>A task.</returns>
    /// <exception cref="InvalidOperationException">A subscription with the same id exists.</exception>
    Task CreateSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default);

    /// <summary>Gets a subscription by id.</summary>
    /// <param name="subscriptionId">The id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The subscription, or <see langword="null"/> when there is none.</returns>
    Task<WebhookSubscription?> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Replaces a subscription (matched by id).</summary>
    /// <param name="subscription">The new state.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns><see langword="false"/> when there is no such subscription.</returns>
    Task<bool> UpdateSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default);

    /// <summary>Deletes a subscription. Its messages, deliveries and attempts stay for the log.</summary>
    /// <param name="subscriptionId">The id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns><see langword="false"/> when there was no such subscription.</returns>
    Task<bool> DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Lists subscriptions, newest first, keyset-paged.</summary>
    /// <param name="query">The filters and page.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The page.</returns>
    Task<WebhookPage<WebhookSubscription>> ListSubscriptionsAsync(WebhookSubscriptionQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds the enabled subscriptions of exactly <paramref name="tenantId"/> (<see langword="null"/> matches only
    /// subscriptions without a tenant) whose event type filters match <paramref name="eventType"/>.
    /// </summary>
    /// <param name="tenantId">The tenant, or <see langword="null"/> for none.</param>
    /// <param name="eventType">The event type being published.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The matching subscriptions, in id order.</returns>
    Task<IReadOnlyList<WebhookSubscription>> FindSubscriptionsAsync(string? tenantId, string eventType, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts a message and its deliveries atomically (all or nothing). When the message has an idempotency key and a
    /// message of the same tenant with the same key exists, inserts nothing and returns the earlier message's id.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="deliveries">Its deliveries (possibly none), <see cref="WebhookDeliveryStatus.Pending"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The stored message id and whether it was a duplicate.</returns>
    Task<WebhookEnqueueResult> EnqueueAsync(WebhookMessage message, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts several messages, each with its deliveries and each as <see cref="EnqueueAsync"/> would (an idempotency
    /// key seen before, or seen earlier in the same batch for the same tenant, makes that item a duplicate that inserts
    /// nothing). A store that writes them in one transaction saves a commit per message, and should then be all or
    /// nothing: when the call throws, no item was inserted. The default implementation calls <see cref="EnqueueAsync"/>
    /// for each, so it is atomic per message only.
    /// </summary>
    /// <param name="items">The messages and their deliveries.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>One result per item, in the same order.</returns>
    async Task<IReadOnlyList<WebhookEnqueueResult>> EnqueueManyAsync(IReadOnlyList<WebhookEnqueueItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = new WebhookEnqueueResult[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            results[i] = await EnqueueAsync(items[i].Message, items[i].Deliveries, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>Gets a message by id.</summary>
    /// <param name="messageId">The id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The message, or <see langword="null"/>.</returns>
    Task<WebhookMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>Lists messages, newest first, keyset-paged.</summary>
    /// <param name="query">The filters and page.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The page.</returns>
    Task<WebhookPage<WebhookMessage>> ListMessagesAsync(WebhookMessageQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <see cref="WebhookClaimRequest.MaxCount"/> due deliveries: <see cref="WebhookDeliveryStatus.Pending"/>
    /// with <see cref="WebhookDelivery.NextAttemptAt"/> at or before now, or <see cref="WebhookDeliveryStatus.InFlight"/>
    /// with an expired lease. First attempts (<see cref="WebhookDelivery.AttemptCount"/> 0) come before retries, each
    /// group in due-time order, then by id; a retry due for at least <see cref="WebhookClaimRequest.RetryAgingThreshold"/>
    /// ranks with first attempts. No more than <see cref="WebhookClaimRequest.MaxPerSubscription"/> (or the
    /// subscription's entry in <see cref="WebhookClaimRequest.SubscriptionCapacity"/>) are returned per subscription, and
    /// none of <see cref="WebhookClaimRequest.ExcludedSubscriptionIds"/>; what a cap leaves out stays as it was. Each claimed delivery becomes <see cref="WebhookDeliveryStatus.InFlight"/>
    /// with a new unique <see cref="WebhookDelivery.LeaseId"/>, the owner, and a lease that expires after the duration.
    /// A delivery is never handed to two claims while its lease runs.
    /// </summary>
    /// <param name="request">What to claim.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The claimed deliveries with their messages, in the order above.</returns>
    Task<IReadOnlyList<WebhookDeliveryClaim>> ClaimAsync(WebhookClaimRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Logs the attempt (when given) and sets the delivery's next state, only if the delivery is still
    /// <see cref="WebhookDeliveryStatus.InFlight"/> under <see cref="WebhookDeliveryCompletion.LeaseId"/>. The attempt
    /// increments <see cref="WebhookDelivery.AttemptCount"/> and sets <see cref="WebhookDelivery.LastAttemptAt"/> and
    /// <see cref="WebhookDelivery.LastStatusCode"/>. Completing again with the same lease changes nothing.
    /// </summary>
    /// <param name="completion">The outcome.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>What happened.</returns>
    Task<WebhookCompletionResult> CompleteAsync(WebhookDeliveryCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes several claimed deliveries at once: each as <see cref="CompleteAsync"/> would, in order, with its own
    /// result (a lost lease fails that one only). The dispatcher hands over the outcomes that finished while the previous
    /// batch was being written, so a store that writes them in one transaction or round trip saves a commit per delivery.
    /// The default implementation calls <see cref="CompleteAsync"/> for each.
    /// </summary>
    /// <param name="completions">The outcomes; the same delivery may appear more than once (the later ones then see the earlier).</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>One result per completion, in the same order.</returns>
    /// <exception cref="ArgumentException">A completion would leave its delivery in flight; nothing was written.</exception>
    /// <remarks>
    /// When the call throws, the store may have written any subset of the completions: each is guarded by its lease and
    /// idempotent, so the caller may retry the whole batch, and a delivery left in flight is claimed again when its lease
    /// expires (at least once).
    /// </remarks>
    async Task<IReadOnlyList<WebhookCompletionResult>> CompleteManyAsync(IReadOnlyList<WebhookDeliveryCompletion> completions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        foreach (var completion in completions)
        {
            WebhookDeliveryCompletion.ThrowIfInvalid(completion, nameof(completions));
        }

        var results = new WebhookCompletionResult[completions.Count];
        for (var i = 0; i < completions.Count; i++)
        {
            results[i] = await CompleteAsync(completions[i], cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>
    /// Hands a claimed delivery back without an attempt (shutdown, endpoint busy): it becomes
    /// <see cref="WebhookDeliveryStatus.Pending"/> again, due at <paramref name="nextAttemptAt"/> or, when null, at its
    /// previous due time. Guarded by the lease like <see cref="CompleteAsync"/>.
    /// </summary>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="leaseId">The lease id it was claimed with.</param>
    /// <param name="nextAttemptAt">When it is due again, or <see langword="null"/> to keep its due time.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns><see langword="true"/> when released; <see langword="false"/> when the lease no longer holds.</returns>
    Task<bool> ReleaseAsync(string deliveryId, string leaseId, DateTimeOffset? nextAttemptAt = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hands several claimed deliveries back without an attempt, each as <see cref="ReleaseAsync"/> would. A store that
    /// writes them in one statement or transaction saves a round trip (and, on a shared store, a notification) per
    /// delivery. The default implementation calls <see cref="ReleaseAsync"/> for each.
    /// </summary>
    /// <param name="releases">The deliveries to hand back.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>How many were released (the others' leases no longer held).</returns>
    async Task<int> ReleaseManyAsync(IReadOnlyList<WebhookDeliveryRelease> releases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(releases);
        var released = 0;
        foreach (var release in releases)
        {
            if (await ReleaseAsync(release.DeliveryId, release.LeaseId, release.NextAttemptAt, cancellationToken).ConfigureAwait(false))
            {
                released++;
            }
        }

        return released;
    }

    /// <summary>Gets the earliest time at which a delivery becomes due (a pending due time or an in-flight lease expiry).</summary>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The time (possibly in the past), or <see langword="null"/> when nothing is pending or in flight.</returns>
    Task<DateTimeOffset?> GetNextDueTimeAsync(CancellationToken cancellationToken = default);

    /// <summary>Counts the deliveries not yet finished (<see cref="WebhookDeliveryStatus.Pending"/> or <see cref="WebhookDeliveryStatus.InFlight"/>): the backlog.</summary>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The count.</returns>
    Task<long> CountUnfinishedAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets a delivery by id.</summary>
    /// <param name="deliveryId">The id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The delivery, or <see langword="null"/>.</returns>
    Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>Lists deliveries, newest first, keyset-paged.</summary>
    /// <param name="query">The filters and page.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The page.</returns>
    Task<WebhookPage<WebhookDelivery>> ListDeliveriesAsync(WebhookDeliveryQuery query, CancellationToken cancellationToken = default);

    /// <summary>Lists attempts, newest first, keyset-paged.</summary>
    /// <param name="query">The filters and page.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The page.</returns>
    Task<WebhookPage<WebhookAttempt>> ListAttemptsAsync(WebhookAttemptQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Schedules the message for the subscription again, due now, with a fresh schedule (<see cref="WebhookDelivery.AttemptCount"/> 0,
    /// no failure reason). A finished delivery is reset; an unfinished one is left as it is; when none exists (the
    /// subscription did not match at publish time) one is created with a new <c>dlv_</c> id. The caller checks that
    /// the subscription exists.
    /// </summary>
    /// <param name="messageId">The message id.</param>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The delivery, or <see langword="null"/> when there is no such message.</returns>
    Task<WebhookDelivery?> RedeliverAsync(string messageId, string subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Redelivers (as <see cref="RedeliverAsync"/>) every <see cref="WebhookDeliveryStatus.Failed"/> delivery of the
    /// subscription created at or after <paramref name="since"/>.
    /// </summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="since">The earliest delivery creation time.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>How many deliveries were scheduled again.</returns>
    Task<int> RecoverAsync(string subscriptionId, DateTimeOffset since, CancellationToken cancellationToken = default);
}
