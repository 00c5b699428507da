using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Sender.Security;

/// <summary>The entry points the sender engine calls to apply <see cref="WebhookSsrfOptions"/>.</summary>
internal static class SsrfGuard
{
    /// <summary>
    /// The request option that names the endpoint in the once-per-endpoint refusal log (set it to the subscription id).
    /// Without it the endpoint is named <c>host:port</c>.
    /// </summary>
    public static readonly HttpRequestOptionsKey<string> EndpointOption = new("Webhooks.Sender.Security.Endpoint");

    /// <summary>
    /// Sets <paramref name="handler"/>'s <see cref="SocketsHttpHandler.ConnectCallback"/> to the guard, and changes nothing
    /// else. Does nothing when <see cref="WebhookSsrfOptions.Enabled"/> is <see langword="false"/>.
    /// </summary>
    /// <remarks>
    /// The guard checks the address the handler connects to. With a proxy that is the proxy, not the endpoint, so
    /// the sender's handler must also set <see cref="SocketsHttpHandler.UseProxy"/> to <see langword="false"/>
    /// (and <see cref="SocketsHttpHandler.AllowAutoRedirect"/> to <see langword="false"/>: a redirect is a new target).
    /// HTTP/3 connections (QUIC) do not go through <see cref="SocketsHttpHandler.ConnectCallback"/>: the sender must not
    /// request HTTP/3 (keep the default HTTP/1.1 request version, or HTTP/2 over TCP).
    /// </remarks>
    /// <param name="handler">The sender's primary handler.</param>
    /// <param name="options">The SSRF options (validated).</param>
    /// <param name="blockedLog">The singleton once-per-endpoint refusal log, or <see langword="null"/> for no log.</param>
    /// <param name="resolver">Resolves host names; <see langword="null"/> for <see cref="System.Net.Dns"/>.</param>
    /// <param name="connector">Opens the TCP stream; <see langword="null"/> for a socket with <c>NoDelay</c>. Tests only.</param>
    public static void Configure(
        SocketsHttpHandler handler,
        WebhookSsrfOptions options,
        SsrfBlockedLog? blockedLog,
        SsrfHostResolver? resolver = null,
        SsrfSocketConnector? connector = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return;
        }

        handler.ConnectCallback = new SsrfGuardConnectCallback(SsrfPolicy.Create(options), blockedLog, resolver, connector).ConnectAsync;
    }

    /// <summary>Finds the guard's refusal in <paramref name="exception"/> or its inner exceptions: the "blocked by policy" error kind.</summary>
    public static bool IsBlockedByPolicy(Exception? exception, [NotNullWhen(true)] out WebhookSsrfBlockedException? blocked)
    {
        for (var depth = 0; exception is not null && depth < 16; depth++, exception = exception.InnerException)
        {
            if (exception is WebhookSsrfBlockedException found)
            {
                blocked = found;
                return true;
            }
        }

        blocked = null;
        return false;
    }

    /// <summary>Resolves <see cref="WebhookSsrfOptions.RequireHttps"/>: an explicit value wins; otherwise https is required
    /// unless <paramref name="environment"/> is Development (and required when there is no host environment).</summary>
    public static bool IsHttpsRequired(WebhookSsrfOptions options, IHostEnvironment? environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.RequireHttps ?? !(environment?.IsDevelopment() ?? false);
    }

    internal static string GetEndpointKey(HttpRequestMessage? request, string host, int port) =>
        request is not null && request.Options.TryGetValue(EndpointOption, out var endpoint) && !string.IsNullOrEmpty(endpoint)
            ? endpoint
            : $"{host}:{port}";
}
