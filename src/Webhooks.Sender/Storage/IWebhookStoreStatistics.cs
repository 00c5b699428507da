namespace Webhooks.Sender.Storage;

/// <summary>
/// Aggregates over a store's delivery log for dashboards: the backlog, the earliest due delivery, deliveries per
/// interval and per-endpoint latency. Optional: a store that does not implement it still works for sending, and
/// <see cref="IWebhookDeliveries.GetStatisticsAsync"/> then throws <see cref="NotSupportedException"/>.
/// </summary>
/// <remarks>
/// The window is bounded by id range (ids are time-sortable, see <see cref="Core.WebhookId.LowerBound"/>), so the cost
/// grows with the deliveries and attempts inside the window and the current backlog, not with the whole history.
/// </remarks>
public interface IWebhookStoreStatistics
{
    /// <summary>Computes the statistics of the window <see cref="WebhookStatisticsQuery.Since"/> .. <see cref="WebhookStatisticsQuery.Until"/>.</summary>
    /// <param name="query">The window, bucket size and tenant.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentException">The query is not valid (see <see cref="WebhookStatisticsQuery.ThrowIfInvalid"/>).</exception>
    Task<WebhookDeliveryStatistics> GetStatisticsAsync(WebhookStatisticsQuery query, CancellationToken cancellationToken = default);
}
