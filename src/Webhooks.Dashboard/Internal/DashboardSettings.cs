namespace Webhooks.Dashboard.Internal;

/// <summary>One mapping's settings: the operator dashboard (no tenant) or a tenant portal.</summary>
internal sealed class DashboardSettings
{
    public required string Prefix { get; init; }

    public required string Title { get; init; }

    public required bool ReadOnly { get; init; }

    public required int PageSize { get; init; }

    public bool AllowRemoteRequestsWithoutAuthorization { get; init; }

    /// <summary>Gets the tenant resolver; set for a portal, null for the operator dashboard.</summary>
    public Func<WebhookPortalTenantArguments, ValueTask<string?>>? ResolveTenant { get; init; }

    public IReadOnlyList<string> EventTypes { get; init; } = [];

    public bool IsPortal => ResolveTenant is not null;
}
