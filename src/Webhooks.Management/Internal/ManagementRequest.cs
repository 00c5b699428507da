using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Sender;

namespace Webhooks.Management.Internal;

/// <summary>One request to the API: its scope and the services restricted to it (set by <see cref="ManagementEndpoints"/>'s filter).</summary>
internal sealed class ManagementRequest
{
    private static readonly object Key = new();

    private ManagementRequest(HttpContext http, ManagementSettings settings, WebhookManagementScope scope)
    {
        Http = http;
        Settings = settings;
        Scope = scope;
        var subscriptions = http.RequestServices.GetRequiredService<IWebhookSubscriptions>();
        var deliveries = http.RequestServices.GetRequiredService<IWebhookDeliveries>();
        Subscriptions = scope.TenantId is { } tenant ? subscriptions.ForTenant(tenant) : subscriptions;
        Deliveries = scope.TenantId is { } t ? deliveries.ForTenant(t) : deliveries;
    }

    public HttpContext Http { get; }

    public ManagementSettings Settings { get; }

    public WebhookManagementScope Scope { get; }

    public IWebhookSubscriptions Subscriptions { get; }

    public IWebhookDeliveries Deliveries { get; }

    public CancellationToken Aborted => Http.RequestAborted;

    public static ManagementRequest Of(HttpContext http) =>
        http.Items[Key] as ManagementRequest ?? throw new InvalidOperationException("The management API's request filter did not run.");

    /// <summary>Resolves the scope; null when the request may see nothing.</summary>
    public static async ValueTask<ManagementRequest?> StartAsync(HttpContext http, ManagementSettings settings)
    {
        var scope = settings.ResolveScope is { } resolve
            ? await resolve(new WebhookManagementScopeArguments(http)).ConfigureAwait(false) ?? WebhookManagementScope.Denied
            : WebhookManagementScope.AllTenants;
        if (scope.IsDenied)
        {
            return null;
        }

        var request = new ManagementRequest(http, settings, scope);
        http.Items[Key] = request;
        return request;
    }

    /// <summary>
    /// The tenant a request names in a filter or a body member: any for a caller that sees every tenant, and only its
    /// own (or none) for a tenant's caller. Adds an error naming <paramref name="field"/> otherwise.
    /// </summary>
    public string? Tenant(string? requested, string field, ProblemBuilder errors)
    {
        if (requested is null)
        {
            return Scope.TenantId;
        }

        if (string.IsNullOrWhiteSpace(requested))
        {
            errors.Add(field, "The tenant id is empty; leave it out or give a tenant id.");
            return null;
        }

        if (Scope.TenantId is { } own && own != requested)
        {
            errors.Add(field, "This caller sees its own tenant only; leave the tenant id out.");
            return null;
        }

        return requested;
    }
}
