using Microsoft.AspNetCore.Http;

namespace Webhooks.Management;

/// <summary>The arguments of <see cref="WebhookManagementOptions.ResolveScope"/>.</summary>
public readonly struct WebhookManagementScopeArguments
{
    /// <summary>Initializes a new instance of the <see cref="WebhookManagementScopeArguments"/> struct.</summary>
    /// <param name="httpContext">The request.</param>
    public WebhookManagementScopeArguments(HttpContext httpContext) => HttpContext = httpContext;

    /// <summary>Gets the request.</summary>
    public HttpContext HttpContext { get; }
}
