using System.Net;

namespace Webhooks.Sender.Delivery;

/// <summary>Builds the primary handler of the sender's <see cref="HttpClient"/>: the one place its transport is configured.</summary>
internal static class WebhookHttpHandler
{
    // The SSRF guard plugs in here (a ConnectCallback that checks the resolved address and connects to it).
    public static HttpMessageHandler CreatePrimaryHandler() => new SocketsHttpHandler
    {
        // Standard Webhooks: redirects are not followed; a 3xx is a failed attempt.
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };
}
