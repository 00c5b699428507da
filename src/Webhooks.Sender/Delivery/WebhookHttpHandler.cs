using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Sender.Security;
using Webhooks.Sender;

namespace Webhooks.Sender.Delivery;

/// <summary>Builds the primary handler of the sender's <see cref="HttpClient"/>: the one place its transport is configured.</summary>
internal static class WebhookHttpHandler
{
    public static HttpMessageHandler CreatePrimaryHandler(IServiceProvider services)
    {
        var handler = new SocketsHttpHandler
        {
            // Standard Webhooks: redirects are not followed; a 3xx is a failed attempt (and a redirect is a new,
            // unchecked target).
            AllowAutoRedirect = false,
            UseCookies = false,

            // The SSRF guard checks the address it connects to; through a proxy that would be the proxy.
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };

        // Resolves the host, refuses non-public addresses (unless allowed) and connects to the address it checked.
        SsrfGuard.Configure(
            handler,
            services.GetRequiredService<IOptions<WebhookSenderOptions>>().Value.Ssrf,
            services.GetService<SsrfBlockedLog>());
        return handler;
    }
}
