namespace Webhooks.Management;

/// <summary>
/// What one request to the management API may see: every tenant (an operator), one tenant, or nothing. Returned by
/// <see cref="WebhookManagementOptions.ResolveScope"/>.
/// </summary>
public sealed class WebhookManagementScope
{
    private WebhookManagementScope(string? tenantId, bool denied)
    {
        TenantId = tenantId;
        IsDenied = denied;
    }

    /// <summary>Gets the scope of an operator: every tenant's data, and the <c>tenantId</c> filters and fields.</summary>
    public static WebhookManagementScope AllTenants { get; } = new(null, denied: false);

    /// <summary>Gets the scope of a request that may see nothing: every route answers 403 with problem details.</summary>
    public static WebhookManagementScope Denied { get; } = new(null, denied: true);

    /// <summary>Gets the tenant the request is restricted to, or <see langword="null"/> for <see cref="AllTenants"/> and <see cref="Denied"/>.</summary>
    public string? TenantId { get; }

    /// <summary>Gets a value indicating whether the request may see nothing.</summary>
    public bool IsDenied { get; }

    /// <summary>Gets a value indicating whether the request sees every tenant.</summary>
    public bool IsAllTenants => TenantId is null && !IsDenied;

    /// <summary>Returns the scope of one tenant: the request sees and changes only that tenant's data; another tenant's ids answer 404.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is null, empty or white space.</exception>
    public static WebhookManagementScope ForTenant(string tenantId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return new(tenantId, denied: false);
    }

    /// <inheritdoc />
    public override string ToString() => IsDenied ? "denied" : TenantId is null ? "all tenants" : "tenant " + TenantId;
}
