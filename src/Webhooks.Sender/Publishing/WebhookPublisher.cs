using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Webhooks.Core;
using Webhooks.Core.Events;
using Webhooks.Sender.Delivery;
using Webhooks.Sender;
using Webhooks.Sender.Diagnostics;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Sender.Publishing;

/// <summary>
/// Serializes once, matches subscriptions, enqueues the message with its deliveries and wakes the dispatcher. On a store
/// that can combine enqueues (<see cref="IWebhookStoreGroupEnqueue"/>), concurrent publishes share one write
/// (<see cref="WebhookEnqueueBatcher"/>).
/// </summary>
internal sealed class WebhookPublisher(
    IWebhookStore store,
    SubscriptionMatcher matcher,
    WebhookDispatchSignal signal,
    WebhookSenderMetrics metrics,
    TimeProvider time,
    IOptions<WebhookSenderOptions> senderOptions,
    ILogger<WebhookPublisher>? logger = null) : IWebhookPublisher
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private readonly WebhookEnqueueBatcher _batcher = new(store, WebhookEnqueueBatcher.DefaultMaxBatchSize);

    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for AOT.")]
    public Task<string> PublishAsync<T>(T payload, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default) =>
        PublishAsync(WebhookEventType.Of<T>(), payload, options, cancellationToken);

    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for AOT.")]
    public Task<string> PublishAsync<T>(string eventType, T payload, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        WebhookEventType.ThrowIfInvalid(eventType, nameof(eventType));
        var body = WebhookEnvelope.Serialize(eventType, time.GetUtcNow(), payload, senderOptions.Value.SerializerOptions);
        return PublishCoreAsync(eventType, body, options, cancellationToken);
    }

    public Task<string> PublishAsync<T>(T payload, JsonTypeInfo<T> typeInfo, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default) =>
        PublishAsync(WebhookEventType.Of<T>(), payload, typeInfo, options, cancellationToken);

    public Task<string> PublishAsync<T>(string eventType, T payload, JsonTypeInfo<T> typeInfo, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        WebhookEventType.ThrowIfInvalid(eventType, nameof(eventType));
        ArgumentNullException.ThrowIfNull(typeInfo);
        var body = WebhookEnvelope.Serialize(eventType, time.GetUtcNow(), payload, typeInfo);
        return PublishCoreAsync(eventType, body, options, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> PublishManyAsync(IReadOnlyList<WebhookPublishItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
            ThrowIfInvalidTenant(item.Options);
        }

        using var activity = WebhookSenderDiagnostics.ActivitySource.StartActivity("webhook publish batch", ActivityKind.Producer);
        activity?.SetTag(WebhookSenderDiagnostics.BatchSizeTag, items.Count);
        var timestamp = time.GetUtcNow();
        var batch = new WebhookEnqueueItem[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var body = items[i].Serialize(timestamp, senderOptions.Value.SerializerOptions);
            batch[i] = await BuildAsync(items[i].EventType, body, items[i].Options, cancellationToken).ConfigureAwait(false);
        }

        var results = items.Count == 0
            ? []
            : await store.EnqueueManyAsync(batch, cancellationToken).ConfigureAwait(false);
        var ids = new string[items.Count];
        var notify = false;
        for (var i = 0; i < ids.Length; i++)
        {
            notify |= Stored(batch[i], results[i]);
            ids[i] = results[i].MessageId;
        }

        if (notify)
        {
            signal.Notify();
        }

        return ids;
    }

    private async Task<string> PublishCoreAsync(string eventType, byte[] body, WebhookPublishOptions? publishOptions, CancellationToken cancellationToken)
    {
        ThrowIfInvalidTenant(publishOptions);
        var tenantId = publishOptions?.TenantId;
        using var activity = WebhookSenderDiagnostics.ActivitySource.StartActivity("webhook publish " + eventType, ActivityKind.Producer);
        activity?.SetTag(WebhookSenderDiagnostics.EventTypeTag, eventType);
        if (tenantId is not null)
        {
            activity?.SetTag(WebhookSenderDiagnostics.TenantTag, tenantId);
        }

        var item = await BuildAsync(eventType, body, publishOptions, cancellationToken).ConfigureAwait(false);
        // Asked in the caller's context: a store says no when the caller's ambient state (its own transaction) must
        // carry this message alone.
        var result = store is IWebhookStoreGroupEnqueue { CanGroupEnqueue: true }
            ? await _batcher.EnqueueAsync(item, cancellationToken).ConfigureAwait(false)
            : await store.EnqueueAsync(item.Message, item.Deliveries, cancellationToken).ConfigureAwait(false);
        activity?.SetTag(WebhookSenderDiagnostics.MessageIdTag, result.MessageId);
        if (!result.Duplicate)
        {
            activity?.SetTag(WebhookSenderDiagnostics.SubscriptionCountTag, item.Deliveries.Count);
        }

        if (Stored(item, result))
        {
            signal.Notify();
        }

        return result.MessageId;
    }

    private static void ThrowIfInvalidTenant(WebhookPublishOptions? publishOptions)
    {
        if (publishOptions?.TenantId is { } tenantId)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(tenantId, "options.TenantId");
        }
    }

    /// <summary>Matches the subscriptions and builds the message with one pending delivery per subscription.</summary>
    private async Task<WebhookEnqueueItem> BuildAsync(string eventType, byte[] body, WebhookPublishOptions? publishOptions, CancellationToken cancellationToken)
    {
        var tenantId = publishOptions?.TenantId;
        var subscriptions = await matcher.FindAsync(tenantId, eventType, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var current = Activity.Current;
        var message = new WebhookMessage
        {
            Id = WebhookId.NewMessageId(time),
            TenantId = tenantId,
            EventType = eventType,
            Payload = body,
            IdempotencyKey = publishOptions?.IdempotencyKey,
            TraceParent = current?.IdFormat == ActivityIdFormat.W3C ? current.Id : null,
            TraceState = current?.IdFormat == ActivityIdFormat.W3C ? current.TraceStateString : null,
            CreatedAt = now,
        };

        var deliveries = new WebhookDelivery[subscriptions.Count];
        for (var i = 0; i < deliveries.Length; i++)
        {
            deliveries[i] = new WebhookDelivery
            {
                Id = WebhookId.New(WebhookId.DeliveryPrefix, time),
                MessageId = message.Id,
                SubscriptionId = subscriptions[i].Id,
                TenantId = tenantId,
                EventType = eventType,
                Status = WebhookDeliveryStatus.Pending,
                NextAttemptAt = now,
                CreatedAt = now,
            };
        }

        return new WebhookEnqueueItem(message, deliveries);
    }

    /// <summary>Logs and counts a stored message; returns whether the dispatcher has new work.</summary>
    private bool Stored(WebhookEnqueueItem item, WebhookEnqueueResult result)
    {
        var message = item.Message;
        if (result.Duplicate)
        {
            Log.DuplicatePublish(_logger, message.EventType, message.TenantId, result.MessageId);
            return false;
        }

        metrics.Published(message.EventType, item.Deliveries.Count);
        Log.Published(_logger, result.MessageId, message.EventType, message.TenantId, item.Deliveries.Count);
        return item.Deliveries.Count > 0;
    }
}
