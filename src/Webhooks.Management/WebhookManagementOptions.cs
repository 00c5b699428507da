namespace Webhooks.Management;

/// <summary>Options of the API mapped by <see cref="WebhookManagementEndpointRouteBuilderExtensions.MapWebhookManagementApi"/>.</summary>
public sealed class WebhookManagementOptions
{
    /// <summary>The largest <see cref="MaxRequestBodySize"/>: 16 MiB.</summary>
    public const int MaxRequestBodySizeLimit = 16 * 1024 * 1024;

    /// <summary>
    /// Gets or sets how the scope of a request is found, for example from a claim of the signed-in caller
    /// (<see cref="UseTenantClaim"/>): <see cref="WebhookManagementScope.ForTenant"/> restricts the request to one
    /// tenant, <see cref="WebhookManagementScope.AllTenants"/> lets it see every tenant (an operator), and
    /// <see cref="WebhookManagementScope.Denied"/> answers 403.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: every request sees every tenant. Use that only for an operator API behind
    /// <c>RequireAuthorization(...)</c>; an API for customers must set a resolver.
    /// </value>
    public Func<WebhookManagementScopeArguments, ValueTask<WebhookManagementScope>>? ResolveScope { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether <c>POST {prefix}/messages</c> is mapped, so services that cannot call
    /// <c>IWebhookPublisher</c> (in other languages) can publish; an <c>Idempotency-Key</c> header makes it idempotent.
    /// </summary>
    /// <value>The default is <see langword="false"/>: publishing is for the app's own code, and the route is not mapped.</value>
    public bool EnablePublish { get; set; }

    /// <summary>Gets or sets the largest request body in bytes, from 1 to <see cref="MaxRequestBodySizeLimit"/>; a bigger one answers 413.</summary>
    /// <value>The default is 262144 (256 KiB).</value>
    public int MaxRequestBodySize { get; set; } = 256 * 1024;

    /// <summary>Gets or sets the page size of a list when the request gives no <c>limit</c>, from 1 to 1000.</summary>
    /// <value>The default is 50.</value>
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>
    /// Gets or sets the prefix of every route's endpoint name (the OpenAPI operation id), for example
    /// <c>WebhooksListEndpoints</c>. Give each mapping its own prefix when the API is mapped twice (an operator API and a
    /// customer API), since endpoint names are unique in an app.
    /// </summary>
    /// <value>The default is <c>Webhooks</c>.</value>
    public string EndpointNamePrefix { get; set; } = "Webhooks";

    /// <summary>
    /// Restricts every request to the tenant named by a claim of the signed-in caller; a caller without the claim gets 403.
    /// Sets <see cref="ResolveScope"/>.
    /// </summary>
    /// <param name="claimType">The claim type, for example <c>tenant</c>.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="claimType"/> is null, empty or white space.</exception>
    public WebhookManagementOptions UseTenantClaim(string claimType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimType);
        ResolveScope = a => ValueTask.FromResult(a.HttpContext.User.FindFirst(claimType)?.Value is { Length: > 0 } tenant && !string.IsNullOrWhiteSpace(tenant)
            ? WebhookManagementScope.ForTenant(tenant)
            : WebhookManagementScope.Denied);
        return this;
    }
}
