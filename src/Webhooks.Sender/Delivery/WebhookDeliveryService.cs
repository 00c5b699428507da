using Webhooks.Core;
using Webhooks.Core.Events;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Delivery;

/// <summary>The delivery log over the store, optionally restricted to one tenant.</summary>
internal sealed partial class WebhookDeliveryService : IWebhookDeliveries
{
    private readonly IWebhookStore _store;
    private readonly WebhookDispatchSignal _signal;
    private readonly TimeProvider _time;

    public WebhookDeliveryService(IWebhookStore store, WebhookDispatchSignal signal, TimeProvider time)
    {
        _store = store;
        _signal = signal;
        _time = time;
    }

    private WebhookDeliveryService(WebhookDeliveryService root, string tenantId)
        : this(root._store, root._signal, root._time) => TenantId = tenantId;

    public string? TenantId { get; }

    public IWebhookDeliveries ForTenant(string tenantId)
    {
        TenantScope.ThrowIfInvalid(tenantId, TenantId);
        return new WebhookDeliveryService(this, tenantId);
    }

    public async Task<WebhookMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        var message = await _store.GetMessageAsync(messageId, cancellationToken).ConfigureAwait(false);
        return InScope(message?.TenantId) ? message : null;
    }

    public Task<WebhookPage<WebhookMessage>> ListMessagesAsync(WebhookMessageQuery? query = null, CancellationToken cancellationToken = default) =>
        _store.ListMessagesAsync(TenantScope.Apply(query ?? new WebhookMessageQuery(), TenantId), cancellationToken);

    public async Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        var delivery = await _store.GetDeliveryAsync(deliveryId, cancellationToken).ConfigureAwait(false);
        return InScope(delivery?.TenantId) ? delivery : null;
    }

    public Task<WebhookPage<WebhookDelivery>> ListDeliveriesAsync(WebhookDeliveryQuery? query = null, CancellationToken cancellationToken = default) =>
        _store.ListDeliveriesAsync(TenantScope.Apply(query ?? new WebhookDeliveryQuery(), TenantId), cancellationToken);

    public Task<WebhookPage<WebhookAttempt>> ListAttemptsAsync(WebhookAttemptQuery? query = null, CancellationToken cancellationToken = default) =>
        _store.ListAttemptsAsync(TenantScope.Apply(query ?? new WebhookAttemptQuery(), TenantId), cancellationToken);

    public async Task<WebhookDelivery?> RedeliverAsync(string messageId, string subscriptionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentNullException.ThrowIfNull(subscriptionId);
        var message = await GetMessageAsync(messageId, cancellationToken).ConfigureAwait(false);
        var subscription = await _store.GetSubscriptionAsync(subscriptionId, cancellationToken).ConfigureAwait(false);
        if (message is null || subscription is null || !InScope(subscription.TenantId))
        {
            return null;
        }

        if (message.TenantId != subscription.TenantId)
        {
            throw new ArgumentException($"Message '{messageId}' belongs to tenant '{message.TenantId ?? "(none)"}' and subscription '{subscriptionId}' to tenant '{subscription.TenantId ?? "(none)"}'; a message is only delivered within its tenant.", nameof(subscriptionId));
        }

        var delivery = await _store.RedeliverAsync(messageId, subscriptionId, cancellationToken).ConfigureAwait(false);
        _signal.Notify();
        return delivery;
    }

    public async Task<int> RecoverAsync(string subscriptionId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        var subscription = await _store.GetSubscriptionAsync(subscriptionId, cancellationToken).ConfigureAwait(false);
        if (subscription is null || !InScope(subscription.TenantId))
        {
            return 0;
        }

        var count = await _store.RecoverAsync(subscriptionId, since, cancellationToken).ConfigureAwait(false);
        if (count > 0)
        {
            _signal.Notify();
        }

        return count;
    }

    // A message enqueued without deliveries, then redelivered to this one endpoint: a test reaches no other endpoint,
    // whatever their filters, and the dispatcher is woken as for any redelivery.
    public async Task<WebhookDelivery?> SendTestAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        var subscription = await _store.GetSubscriptionAsync(subscriptionId, cancellationToken).ConfigureAwait(false);
        if (subscription is null || !InScope(subscription.TenantId))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var payload = WebhookEnvelope.Serialize(IWebhookDeliveries.TestEventType, now, new Dictionary<string, string>
        {
            ["message"] = "A test event.",
            ["subscriptionId"] = subscription.Id,
        }, DeliveryJson.Default.DictionaryStringString);
        var message = new WebhookMessage
        {
            Id = WebhookId.NewMessageId(_time),
            TenantId = subscription.TenantId,
            EventType = IWebhookDeliveries.TestEventType,
            Payload = payload,
            CreatedAt = now,
        };
        await _store.EnqueueAsync(message, [], cancellationToken).ConfigureAwait(false);
        var delivery = await _store.RedeliverAsync(message.Id, subscription.Id, cancellationToken).ConfigureAwait(false);
        _signal.Notify();
        return delivery;
    }

    private bool InScope(string? tenantId) => TenantId is null || tenantId == TenantId;
}
