using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Delivery;

/// <content>Statistics, delegated to a store that computes them, within this view's tenant.</content>
internal sealed partial class WebhookDeliveryService
{
    public Task<WebhookDeliveryStatistics> GetStatisticsAsync(WebhookStatisticsQuery query, CancellationToken cancellationToken = default)
    {
        WebhookStatisticsQuery.ThrowIfInvalid(query);
        if (TenantId is not null && query.TenantId != TenantId)
        {
            query = query.TenantId is null
                ? query with { TenantId = TenantId }
                : throw new ArgumentException($"The query asks for tenant '{query.TenantId}' but this view is restricted to tenant '{TenantId}'.", nameof(query));
        }

        return _store is IWebhookStoreStatistics statistics
            ? statistics.GetStatisticsAsync(query, cancellationToken)
            : throw new NotSupportedException($"The store {_store.GetType().FullName} does not implement {nameof(IWebhookStoreStatistics)}, so statistics are not available.");
    }
}
