using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender;

/// <summary>Applies a tenant view's restriction to queries.</summary>
internal static class TenantScope
{
    public static void ThrowIfInvalid(string tenantId, string? currentScope)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        if (currentScope is not null && currentScope != tenantId)
        {
            throw new ArgumentException($"This view is restricted to tenant '{currentScope}' and cannot be switched to tenant '{tenantId}'.", nameof(tenantId));
        }
    }

    public static T Apply<T>(T query, string? scope)
        where T : WebhookQuery
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > WebhookQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"The page size (Limit) must be between 1 and {WebhookQuery.MaxLimit}.");
        }

        if (scope is null || query.TenantId == scope)
        {
            return query;
        }

        return query.TenantId is null
            ? (T)((WebhookQuery)query with { TenantId = scope })
            : throw new ArgumentException($"The query asks for tenant '{query.TenantId}' but this view is restricted to tenant '{scope}'.", nameof(query));
    }
}
