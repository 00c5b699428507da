using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Webhooks.Dashboard.Internal;

/// <summary>Who may see the operator dashboard when the app configured no authorization for it.</summary>
internal static class DashboardAccess
{
    /// <summary>Whether authorization applies to this endpoint: RequireAuthorization metadata, or a fallback policy.</summary>
    public static bool HasAuthorization(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata is not null)
        {
            if (metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                return false;
            }

            if (metadata.GetMetadata<IAuthorizeData>() is not null || metadata.GetMetadata<AuthorizationPolicy>() is not null)
            {
                return true;
            }
        }

        return context.RequestServices.GetService<IOptions<AuthorizationOptions>>()?.Value.FallbackPolicy is not null;
    }

    /// <summary>A request from this machine: loopback, or from the address it arrived on (as Hangfire decides).</summary>
    public static bool IsLocal(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        // No address (a Unix socket, an in-process server): not known to be local, so refused.
        return remote is not null && (IPAddress.IsLoopback(remote) || remote.Equals(context.Connection.LocalIpAddress));
    }
}
