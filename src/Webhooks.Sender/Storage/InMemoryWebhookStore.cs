using Webhooks.Core;
using Webhooks.Core.Events;

namespace Webhooks.Sender.Storage;

/// <summary>
/// The default store: everything in process memory, lost when the process ends. Good for development, tests and
/// apps that accept losing undelivered webhooks on restart; use the SQLite or PostgreSQL store otherwise.
/// Nothing is ever removed, so memory grows with the number of messages. Thread-safe.
/// </summary>
public sealed partial class InMemoryWebhookStore : IWebhookStore, IWebhookStoreRetention
{
    private readonly TimeProvider _time;
    private readonly object _lock = new();

    private readonly Dictionary<string, WebhookSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _subscriptionIds = new(StringComparer.Ordinal);
    private readonly Dictionary<(bool HasTenant, string TenantId), SortedSet<string>> _subscriptionsByTenant = [];

    private readonly Dictionary<string, WebhookMessage> _messages = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _messageIds = new(StringComparer.Ordinal);
    private readonly Dictionary<(string? TenantId, string Key), string> _idempotencyKeys = [];

    private readonly Dictionary<string, WebhookDelivery> _deliveries = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _deliveryIds = new(StringComparer.Ordinal);
    private readonly Dictionary<(string MessageId, string SubscriptionId), string> _deliveryByPair = [];
    private readonly Dictionary<string, SortedSet<string>> _deliveriesBySubscription = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _deliveriesByMessage = new(StringComparer.Ordinal);

    private readonly Dictionary<string, WebhookAttempt> _attempts = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _attemptIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _attemptsByDelivery = new(StringComparer.Ordinal);

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public InMemoryWebhookStore(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public Task CreateSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        lock (_lock)
        {
            if (!_subscriptions.TryAdd(subscription.Id, subscription))
            {
                throw new InvalidOperationException($"A subscription with id '{subscription.Id}' already exists.");
            }

            _subscriptionIds.Add(subscription.Id);
            ByTenant(subscription.TenantId).Add(subscription.Id);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<WebhookSubscription?> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        lock (_lock)
        {
            return Task.FromResult(_subscriptions.GetValueOrDefault(subscriptionId));
        }
    }

    /// <inheritdoc />
    public Task<bool> UpdateSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        lock (_lock)
        {
            if (!_subscriptions.TryGetValue(subscription.Id, out var old))
            {
                return Task.FromResult(false);
            }

            ByTenant(old.TenantId).Remove(old.Id);
            ByTenant(subscription.TenantId).Add(subscription.Id);
            _subscriptions[subscription.Id] = subscription;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        lock (_lock)
        {
            if (!_subscriptions.Remove(subscriptionId, out var old))
            {
                return Task.FromResult(false);
            }

            _subscriptionIds.Remove(subscriptionId);
            ByTenant(old.TenantId).Remove(subscriptionId);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<WebhookPage<WebhookSubscription>> ListSubscriptionsAsync(WebhookSubscriptionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_lock)
        {
            var ids = query.TenantId is null ? _subscriptionIds : ByTenant(query.TenantId);
            return Task.FromResult(Page(ids, query, id =>
            {
                var s = _subscriptions[id];
                return (query.TenantId is null || s.TenantId == query.TenantId)
                    && (query.Enabled is null || s.Enabled == query.Enabled)
                    && (query.EventType is null || WebhookEventFilter.MatchesAny(s.EventTypes, query.EventType))
                    ? s : null;
            }));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookSubscription>> FindSubscriptionsAsync(string? tenantId, string eventType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        lock (_lock)
        {
            var found = new List<WebhookSubscription>();
            foreach (var id in ByTenant(tenantId))
            {
                var s = _subscriptions[id];
                if (s.Enabled && WebhookEventFilter.MatchesAny(s.EventTypes, eventType))
                {
                    found.Add(s);
                }
            }

            return Task.FromResult<IReadOnlyList<WebhookSubscription>>(found);
        }
    }

    /// <inheritdoc />
    public Task<WebhookEnqueueResult> EnqueueAsync(WebhookMessage message, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(deliveries);
        return Task.FromResult(Enqueue([new WebhookEnqueueItem(message, deliveries)])[0]);
    }

    /// <inheritdoc />
    /// <remarks>All or nothing: every item is checked before any is inserted.</remarks>
    public Task<IReadOnlyList<WebhookEnqueueResult>> EnqueueManyAsync(IReadOnlyList<WebhookEnqueueItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Task.FromResult<IReadOnlyList<WebhookEnqueueResult>>(Enqueue(items));
    }

    private WebhookEnqueueResult[] Enqueue(IReadOnlyList<WebhookEnqueueItem> items)
    {
        var results = new WebhookEnqueueResult[items.Count];
        lock (_lock)
        {
            // Validate everything first so the insert is all or nothing.
            var batchKeys = new Dictionary<(string?, string), string>();
            var batchMessages = new HashSet<string>(StringComparer.Ordinal);
            var batchDeliveries = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++)
            {
                var (message, deliveries) = items[i];
                ArgumentNullException.ThrowIfNull(message, nameof(items));
                ArgumentNullException.ThrowIfNull(deliveries, nameof(items));
                if (message.IdempotencyKey is { } key)
                {
                    if (_idempotencyKeys.TryGetValue((message.TenantId, key), out var existing)
                        || batchKeys.TryGetValue((message.TenantId, key), out existing))
                    {
                        results[i] = new WebhookEnqueueResult(existing, Duplicate: true);
                        continue;
                    }

                    batchKeys.Add((message.TenantId, key), message.Id);
                }

                if (_messages.ContainsKey(message.Id) || !batchMessages.Add(message.Id))
                {
                    throw new InvalidOperationException($"A message with id '{message.Id}' already exists.");
                }

                var pairs = new HashSet<(string, string)>();
                foreach (var d in deliveries)
                {
                    if (d.MessageId != message.Id)
                    {
                        throw new ArgumentException($"Delivery '{d.Id}' belongs to message '{d.MessageId}', not '{message.Id}'.", nameof(items));
                    }

                    if (_deliveries.ContainsKey(d.Id) || !batchDeliveries.Add(d.Id) || !pairs.Add((d.MessageId, d.SubscriptionId)))
                    {
                        throw new InvalidOperationException($"Delivery '{d.Id}' duplicates an existing delivery.");
                    }
                }

                results[i] = new WebhookEnqueueResult(message.Id, Duplicate: false);
            }

            for (var i = 0; i < items.Count; i++)
            {
                if (!results[i].Duplicate)
                {
                    Insert(items[i].Message, items[i].Deliveries);
                }
            }
        }

        return results;
    }

    private void Insert(WebhookMessage message, IReadOnlyList<WebhookDelivery> deliveries)
    {
        _messages.Add(message.Id, message);
        _messageIds.Add(message.Id);
        if (message.IdempotencyKey is { } k)
        {
            _idempotencyKeys[(message.TenantId, k)] = message.Id;
        }

        var byMessage = new List<string>(deliveries.Count);
        _deliveriesByMessage[message.Id] = byMessage;
        foreach (var d in deliveries)
        {
            var pending = d with { Status = WebhookDeliveryStatus.Pending };
            _deliveries.Add(pending.Id, pending);
            _deliveryIds.Add(pending.Id);
            _deliveryByPair[(pending.MessageId, pending.SubscriptionId)] = pending.Id;
            BySubscription(pending.SubscriptionId).Add(pending.Id);
            byMessage.Add(pending.Id);
            IndexDue(pending);
        }
    }

    /// <inheritdoc />
    public Task<WebhookMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        lock (_lock)
        {
            return Task.FromResult(_messages.GetValueOrDefault(messageId));
        }
    }

    /// <inheritdoc />
    public Task<WebhookPage<WebhookMessage>> ListMessagesAsync(WebhookMessageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_lock)
        {
            return Task.FromResult(Page(_messageIds, query, id =>
            {
                var m = _messages[id];
                return (query.TenantId is null || m.TenantId == query.TenantId)
                    && (query.EventType is null || m.EventType == query.EventType)
                    && InWindow(m.CreatedAt, query.Since, query.Until)
                    ? m : null;
            }));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookDeliveryClaim>> ClaimAsync(WebhookClaimRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.MaxCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.MaxPerSubscription);
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var picked = PickDue(request, now);
            var claims = new List<WebhookDeliveryClaim>(picked.Count);
            foreach (var d in picked)
            {
                var claimed = d with
                {
                    Status = WebhookDeliveryStatus.InFlight,
                    LeaseId = Guid.NewGuid().ToString("N"),
                    LeaseOwner = request.LeaseOwner,
                    LeaseExpiresAt = now + request.LeaseDuration,
                };
                Replace(d, claimed);
                claims.Add(new WebhookDeliveryClaim(claimed, _messages[claimed.MessageId]));
            }

            return Task.FromResult<IReadOnlyList<WebhookDeliveryClaim>>(claims);
        }
    }

    /// <inheritdoc />
    public Task<WebhookCompletionResult> CompleteAsync(WebhookDeliveryCompletion completion, CancellationToken cancellationToken = default)
    {
        WebhookDeliveryCompletion.ThrowIfInvalid(completion, nameof(completion));
        lock (_lock)
        {
            return Task.FromResult(CompleteLocked(completion, _time.GetUtcNow()));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookCompletionResult>> CompleteManyAsync(IReadOnlyList<WebhookDeliveryCompletion> completions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        foreach (var completion in completions)
        {
            WebhookDeliveryCompletion.ThrowIfInvalid(completion, nameof(completions));
        }

        var results = new WebhookCompletionResult[completions.Count];
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = CompleteLocked(completions[i], now);
            }
        }

        return Task.FromResult<IReadOnlyList<WebhookCompletionResult>>(results);
    }

    private WebhookCompletionResult CompleteLocked(WebhookDeliveryCompletion completion, DateTimeOffset now)
    {
        if (!_deliveries.TryGetValue(completion.DeliveryId, out var d))
        {
            return WebhookCompletionResult.NotFound;
        }

        if (d.LeaseId != completion.LeaseId)
        {
            return WebhookCompletionResult.LeaseLost;
        }

        if (d.Status != WebhookDeliveryStatus.InFlight)
        {
            return WebhookCompletionResult.AlreadyCompleted;
        }

        var attempt = completion.Attempt;
        var next = d with
        {
            Status = completion.Status,
            NextAttemptAt = completion.Status == WebhookDeliveryStatus.Pending ? completion.NextAttemptAt ?? now : d.NextAttemptAt,
            FailureReason = completion.Status == WebhookDeliveryStatus.Failed ? completion.FailureReason : null,
            CompletedAt = completion.Status == WebhookDeliveryStatus.Pending ? null : now,
            LeaseExpiresAt = null,
            AttemptCount = attempt is null ? d.AttemptCount : d.AttemptCount + 1,
            LastAttemptAt = attempt is null ? d.LastAttemptAt : attempt.StartedAt,
            LastStatusCode = attempt is null ? d.LastStatusCode : attempt.StatusCode,
        };

        if (attempt is not null && _attempts.TryAdd(attempt.Id, attempt))
        {
            _attemptIds.Add(attempt.Id);
            if (!_attemptsByDelivery.TryGetValue(d.Id, out var set))
            {
                _attemptsByDelivery[d.Id] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            set.Add(attempt.Id);
        }

        Replace(d, next);
        return WebhookCompletionResult.Completed;
    }

    /// <inheritdoc />
    public Task<bool> ReleaseAsync(string deliveryId, string leaseId, DateTimeOffset? nextAttemptAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        ArgumentNullException.ThrowIfNull(leaseId);
        lock (_lock)
        {
            return Task.FromResult(ReleaseLocked(new WebhookDeliveryRelease(deliveryId, leaseId, nextAttemptAt)));
        }
    }

    /// <inheritdoc />
    public Task<int> ReleaseManyAsync(IReadOnlyList<WebhookDeliveryRelease> releases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(releases);
        for (var i = 0; i < releases.Count; i++)
        {
            if (releases[i].DeliveryId is null || releases[i].LeaseId is null)
            {
                throw new ArgumentException($"Release {i} has no delivery id or lease id.", nameof(releases));
            }
        }

        var released = 0;
        lock (_lock)
        {
            foreach (var release in releases)
            {
                released += ReleaseLocked(release) ? 1 : 0;
            }
        }

        return Task.FromResult(released);
    }

    private bool ReleaseLocked(WebhookDeliveryRelease release)
    {
        if (!_deliveries.TryGetValue(release.DeliveryId, out var d) || d.LeaseId != release.LeaseId || d.Status != WebhookDeliveryStatus.InFlight)
        {
            return false;
        }

        Replace(d, d with { Status = WebhookDeliveryStatus.Pending, NextAttemptAt = release.NextAttemptAt ?? d.NextAttemptAt, LeaseExpiresAt = null });
        return true;
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetNextDueTimeAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            DateTimeOffset? earliest = null;
            for (var group = 0; group < 2; group++)
            {
                // The first key only: a SortedSet view's Count walks the whole range, which made this O(backlog) per call
                // (the dispatcher calls it after every claim). Each group's earliest key is some subscription's head.
                foreach (var key in _heads.GetViewBetween(DueKey.First(group), DueKey.Last(group, DateTimeOffset.MaxValue)))
                {
                    if (earliest is null || key.Due < earliest)
                    {
                        earliest = key.Due;
                    }

                    break;
                }
            }

            return Task.FromResult(earliest);
        }
    }

    /// <inheritdoc />
    public Task<long> CountUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult((long)_dueCount);
        }
    }

    /// <inheritdoc />
    public Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        lock (_lock)
        {
            return Task.FromResult(_deliveries.GetValueOrDefault(deliveryId));
        }
    }

    /// <inheritdoc />
    public Task<WebhookPage<WebhookDelivery>> ListDeliveriesAsync(WebhookDeliveryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_lock)
        {
            SortedSet<string> ids = _deliveryIds;
            if (query.SubscriptionId is not null)
            {
                ids = _deliveriesBySubscription.GetValueOrDefault(query.SubscriptionId) ?? [];
            }
            else if (query.MessageId is not null)
            {
                ids = new SortedSet<string>(_deliveriesByMessage.GetValueOrDefault(query.MessageId) ?? [], StringComparer.Ordinal);
            }

            return Task.FromResult(Page(ids, query, id =>
            {
                var d = _deliveries[id];
                return (query.TenantId is null || d.TenantId == query.TenantId)
                    && (query.SubscriptionId is null || d.SubscriptionId == query.SubscriptionId)
                    && (query.MessageId is null || d.MessageId == query.MessageId)
                    && (query.Status is null || d.Status == query.Status)
                    && InWindow(d.CreatedAt, query.Since, query.Until)
                    ? d : null;
            }));
        }
    }

    /// <inheritdoc />
    public Task<WebhookPage<WebhookAttempt>> ListAttemptsAsync(WebhookAttemptQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_lock)
        {
            var ids = query.DeliveryId is null ? _attemptIds : _attemptsByDelivery.GetValueOrDefault(query.DeliveryId) ?? [];
            return Task.FromResult(Page(ids, query, id =>
            {
                var a = _attempts[id];
                return (query.TenantId is null || a.TenantId == query.TenantId)
                    && (query.MessageId is null || a.MessageId == query.MessageId)
                    && (query.SubscriptionId is null || a.SubscriptionId == query.SubscriptionId)
                    ? a : null;
            }));
        }
    }

    /// <inheritdoc />
    public Task<WebhookDelivery?> RedeliverAsync(string messageId, string subscriptionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentNullException.ThrowIfNull(subscriptionId);
        lock (_lock)
        {
            if (!_messages.TryGetValue(messageId, out var message))
            {
                return Task.FromResult<WebhookDelivery?>(null);
            }

            var now = _time.GetUtcNow();
            if (_deliveryByPair.TryGetValue((messageId, subscriptionId), out var existingId))
            {
                return Task.FromResult<WebhookDelivery?>(Reset(_deliveries[existingId], now));
            }

            var created = new WebhookDelivery
            {
                Id = WebhookId.New(WebhookId.DeliveryPrefix, _time),
                MessageId = messageId,
                SubscriptionId = subscriptionId,
                TenantId = message.TenantId,
                EventType = message.EventType,
                Status = WebhookDeliveryStatus.Pending,
                NextAttemptAt = now,
                CreatedAt = now,
            };
            _deliveries.Add(created.Id, created);
            _deliveryIds.Add(created.Id);
            _deliveryByPair[(messageId, subscriptionId)] = created.Id;
            BySubscription(subscriptionId).Add(created.Id);
            _deliveriesByMessage[messageId].Add(created.Id);
            IndexDue(created);
            return Task.FromResult<WebhookDelivery?>(created);
        }
    }

    /// <inheritdoc />
    public Task<int> RecoverAsync(string subscriptionId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var count = 0;
            if (_deliveriesBySubscription.TryGetValue(subscriptionId, out var ids))
            {
                foreach (var id in ids.ToArray())
                {
                    var d = _deliveries[id];
                    if (d.Status == WebhookDeliveryStatus.Failed && d.CreatedAt >= since)
                    {
                        Reset(d, now);
                        count++;
                    }
                }
            }

            return Task.FromResult(count);
        }
    }

    private static WebhookPage<T> Page<T>(SortedSet<string> ids, WebhookQuery query, Func<string, T?> select)
        where T : class
    {
        if (query.Limit is < 1 or > WebhookQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"Limit must be between 1 and {WebhookQuery.MaxLimit}.");
        }

        var source = ids.Count == 0 || query.After is null || ids.Comparer.Compare(query.After, ids.Min) <= 0
            ? (query.After is null ? ids : [])
            : ids.GetViewBetween(ids.Min!, query.After);

        var items = new List<T>(Math.Min(query.Limit, 128));
        string? last = null;
        foreach (var id in source.Reverse())
        {
            if (id == query.After)
            {
                continue;
            }

            if (select(id) is { } item)
            {
                if (items.Count == query.Limit)
                {
                    return new WebhookPage<T>(items, last);
                }

                items.Add(item);
                last = id;
            }
        }

        return new WebhookPage<T>(items, null);
    }

    private static bool InWindow(DateTimeOffset time, DateTimeOffset? since, DateTimeOffset? until) =>
        (since is null || time >= since) && (until is null || time < until);

    private SortedSet<string> ByTenant(string? tenantId)
    {
        var key = (tenantId is not null, tenantId ?? string.Empty);
        if (!_subscriptionsByTenant.TryGetValue(key, out var set))
        {
            _subscriptionsByTenant[key] = set = new SortedSet<string>(StringComparer.Ordinal);
        }

        return set;
    }

    private SortedSet<string> BySubscription(string subscriptionId)
    {
        if (!_deliveriesBySubscription.TryGetValue(subscriptionId, out var set))
        {
            _deliveriesBySubscription[subscriptionId] = set = new SortedSet<string>(StringComparer.Ordinal);
        }

        return set;
    }

    private WebhookDelivery Reset(WebhookDelivery d, DateTimeOffset now)
    {
        if (d.Status is WebhookDeliveryStatus.Pending or WebhookDeliveryStatus.InFlight)
        {
            return d;
        }

        var reset = d with
        {
            Status = WebhookDeliveryStatus.Pending,
            AttemptCount = 0,
            NextAttemptAt = now,
            FailureReason = null,
            CompletedAt = null,
            LeaseId = null,
            LeaseOwner = null,
            LeaseExpiresAt = null,
        };
        Replace(d, reset);
        return reset;
    }

    private void Replace(WebhookDelivery old, WebhookDelivery next)
    {
        UnindexDue(old);
        _deliveries[next.Id] = next;
        IndexDue(next);
    }

}
