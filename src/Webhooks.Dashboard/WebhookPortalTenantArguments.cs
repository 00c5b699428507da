using Microsoft.AspNetCore.Http;

namespace Webhooks.Dashboard;

/// <summary>The arguments of <see cref="WebhookPortalOptions.ResolveTenant"/>.</summary>
public readonly struct WebhookPortalTenantArguments
{
    /// <summary>Initializes a new instance of the <see cref="WebhookPortalTenantArguments"/> struct.</summary>
    /// <param name="httpContext">The request.</param>
    public WebhookPortalTenantArguments(HttpContext httpContext) => HttpContext = httpContext;

    /// <summary>Gets the request.</summary>
    public HttpContext HttpContext { get; }
}
