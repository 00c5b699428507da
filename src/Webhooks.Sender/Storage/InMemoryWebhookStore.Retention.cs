namespace Webhooks.Sender.Storage;

/// <content>Retention: purging finished history so a long-running process does not grow without bound.</content>
public sealed partial class InMemoryWebhookStore
{
    /// <inheritdoc />
    public Task<int> PurgeSucceededAsync(DateTimeOffset succeededBefore, int maxMessages, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessages);
        lock (_lock)
        {
            var purge = new List<string>(Math.Min(maxMessages, 256));
            foreach (var messageId in _messageIds)
            {
                if (purge.Count == maxMessages)
                {
                    break;
                }

                if (_messages[messageId].CreatedAt < succeededBefore && AllSucceeded(messageId))
                {
                    purge.Add(messageId);
                }
            }

            foreach (var messageId in purge)
            {
                if (_deliveriesByMessage.TryGetValue(messageId, out var deliveryIds))
                {
                    foreach (var deliveryId in deliveryIds.ToArray())
                    {
                        RemoveDelivery(deliveryId);
                    }
                }

                RemoveMessage(messageId);
            }

            return Task.FromResult(purge.Count);
        }
    }

    /// <inheritdoc />
    public Task<int> PurgeFailedAsync(DateTimeOffset failedBefore, string? subscriptionId, int maxDeliveries, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDeliveries);
        lock (_lock)
        {
            IEnumerable<string> candidates = subscriptionId is null
                ? _deliveryIds
                : _deliveriesBySubscription.TryGetValue(subscriptionId, out var set) ? set : [];
            var purge = new List<string>(Math.Min(maxDeliveries, 256));
            foreach (var deliveryId in candidates)
            {
                if (purge.Count == maxDeliveries)
                {
                    break;
                }

                var d = _deliveries[deliveryId];
                if (d.Status == WebhookDeliveryStatus.Failed && d.CompletedAt is { } completed && completed < failedBefore)
                {
                    purge.Add(deliveryId);
                }
            }

            foreach (var deliveryId in purge)
            {
                var messageId = _deliveries[deliveryId].MessageId;
                RemoveDelivery(deliveryId);
                if (!_deliveriesByMessage.TryGetValue(messageId, out var left) || left.Count == 0)
                {
                    RemoveMessage(messageId);
                }
            }

            return Task.FromResult(purge.Count);
        }
    }

    private bool AllSucceeded(string messageId)
    {
        if (!_deliveriesByMessage.TryGetValue(messageId, out var deliveryIds))
        {
            return true;
        }

        foreach (var deliveryId in deliveryIds)
        {
            if (_deliveries[deliveryId].Status != WebhookDeliveryStatus.Succeeded)
            {
                return false;
            }
        }

        return true;
    }

    private void RemoveDelivery(string deliveryId)
    {
        if (!_deliveries.Remove(deliveryId, out var d))
        {
            return;
        }

        UnindexDue(d);
        _deliveryIds.Remove(deliveryId);
        _deliveryByPair.Remove((d.MessageId, d.SubscriptionId));
        if (_deliveriesBySubscription.TryGetValue(d.SubscriptionId, out var bySubscription))
        {
            bySubscription.Remove(deliveryId);
        }

        if (_deliveriesByMessage.TryGetValue(d.MessageId, out var byMessage))
        {
            byMessage.Remove(deliveryId);
        }

        if (_attemptsByDelivery.Remove(deliveryId, out var attemptIds))
        {
            foreach (var attemptId in attemptIds)
            {
                _attempts.Remove(attemptId);
                _attemptIds.Remove(attemptId);
            }
        }
    }

    private void RemoveMessage(string messageId)
    {
        if (!_messages.Remove(messageId, out var message))
        {
            return;
        }

        _messageIds.Remove(messageId);
        _deliveriesByMessage.Remove(messageId);
        if (message.IdempotencyKey is { } key)
        {
            _idempotencyKeys.Remove((message.TenantId, key));
        }
    }
}
