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

/// <summary>Serializes once, matches subscriptions, enqueues the message with its deliveries and wakes the dispatcher.</summary>
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

    private async Task<string> PublishCoreAsync(string eventType, byte[] body, WebhookPublishOptions? publishOptions, CancellationToken cancellationToken)
    {
        var tenantId = publishOptions?.TenantId;
        if (tenantId is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(tenantId, "options.TenantId");
        }

        using var activity = WebhookSenderDiagnostics.ActivitySource.StartActivity("webhook publish " + eventType, ActivityKind.Producer);
        activity?.SetTag(WebhookSenderDiagnostics.EventTypeTag, eventType);
        if (tenantId is not null)
        {
            activity?.SetTag(WebhookSenderDiagnostics.TenantTag, tenantId);
        }

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

        var result = await store.EnqueueAsync(message, deliveries, cancellationToken).ConfigureAwait(false);
        activity?.SetTag(WebhookSenderDiagnostics.MessageIdTag, result.MessageId);
        if (result.Duplicate)
        {
            Log.DuplicatePublish(_logger, eventType, tenantId, result.MessageId);
            return result.MessageId;
        }

        activity?.SetTag(WebhookSenderDiagnostics.SubscriptionCountTag, deliveries.Length);
        metrics.Published(eventType, deliveries.Length);
        Log.Published(_logger, result.MessageId, eventType, tenantId, deliveries.Length);
        if (deliveries.Length > 0)
        {
            signal.Notify();
        }

        return result.MessageId;
    }
}
