using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender;

/// <summary>
/// The delivery log for operators: messages, deliveries and attempts, and replay. The instance from the container
/// sees every tenant; <see cref="ForTenant"/> returns a view restricted to one.
/// </summary>
public interface IWebhookDeliveries
{
    /// <summary>The event type of the messages <see cref="SendTestAsync"/> sends: <c>webhook.test</c>.</summary>
    const string TestEventType = "webhook.test";

    /// <summary>Gets the tenant this view is restricted to, or <see langword="null"/> for every tenant.</summary>
    string? TenantId { get; }

    /// <summary>Returns a view restricted to one tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentException">The tenant id is empty, or this view is already restricted to another tenant.</exception>
    IWebhookDeliveries ForTenant(string tenantId);

    /// <summary>Gets a message.</summary>
    /// <param name="messageId">The message id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The message, or <see langword="null"/> when there is none (in this view's tenant).</returns>
    Task<WebhookMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>Lists messages, newest first, keyset-paged.</summary>
    /// <param name="query">Filters and paging; <see langword="null"/> for the first page of all.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The page.</returns>
    Task<WebhookPage<WebhookMessage>> ListMessagesAsync(WebhookMessageQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Gets a delivery.</summary>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The delivery, or <see langword="null"/> when there is none (in this view's tenant).</returns>
    Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>Lists deliveries (by subscription, message, status, time), newest first, keyset-paged.</summary>
    /// <param name="query">Filters and paging; <see langword="null"/> for the first page of all.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The page.</returns>
    Task<WebhookPage<WebhookDelivery>> ListDeliveriesAsync(WebhookDeliveryQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Lists attempts (by delivery, message, subscription), newest first, keyset-paged.</summary>
    /// <param name="query">Filters and paging; <see langword="null"/> for the first page of all.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The page.</returns>
    Task<WebhookPage<WebhookAttempt>> ListAttemptsAsync(WebhookAttemptQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a message to a subscription again, now, with a fresh retry schedule: a finished delivery is reset, an
    /// unfinished one is left alone, and a subscription that did not receive the message gets a new delivery.
    /// </summary>
    /// <param name="messageId">The message id.</param>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The delivery, or <see langword="null"/> when the message or the subscription does not exist (in this view's tenant).</returns>
    /// <exception cref="ArgumentException">The message and the subscription belong to different tenants.</exception>
    Task<WebhookDelivery?> RedeliverAsync(string messageId, string subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Sends again every failed delivery of a subscription created at or after <paramref name="since"/> (after an endpoint outage, for example).</summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="since">The earliest delivery creation time.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>How many deliveries were scheduled again; 0 when the subscription does not exist (in this view's tenant).</returns>
    Task<int> RecoverAsync(string subscriptionId, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a test event to one subscription now: a <see cref="TestEventType"/> message for the subscription's tenant,
    /// delivered to that subscription only (whatever its filters and state say), signed and logged like any other.
    /// </summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The test message's delivery, or <see langword="null"/> when the subscription does not exist (in this view's tenant).</returns>
    /// <exception cref="NotSupportedException">The implementation does not send test events (every implementation in this library does).</exception>
    Task<WebhookDelivery?> SendTestAsync(string subscriptionId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not send test events; implement {nameof(IWebhookDeliveries)}.{nameof(SendTestAsync)}.");

    /// <summary>
    /// Computes statistics for a dashboard over a window (in this view's tenant): the backlog now, the delivery due
    /// first, the deliveries created per bucket by their current state, and per-endpoint success rate and latency.
    /// </summary>
    /// <param name="query">The window and bucket size.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="NotSupportedException">The store does not implement <see cref="IWebhookStoreStatistics"/> (every store in this library does).</exception>
    /// <exception cref="ArgumentException">The query is not valid, or asks for another tenant than this view's.</exception>
    Task<WebhookDeliveryStatistics> GetStatisticsAsync(WebhookStatisticsQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not compute statistics; implement {nameof(IWebhookDeliveries)}.{nameof(GetStatisticsAsync)}.");
}
