using System.Net;

namespace Webhooks.Sender.Security;

/// <summary>
/// Thrown by the SSRF guard's connect callback when the endpoint's host is or resolves to an address the policy refuses.
/// <see cref="System.Net.Http.SocketsHttpHandler"/> wraps it in an <see cref="System.Net.Http.HttpRequestException"/>;
/// <see cref="SsrfGuard.IsBlockedByPolicy(Exception?, out WebhookSsrfBlockedException?)"/> finds it again.
/// </summary>
/// <remarks>Carries the host, port and refused address only: never the URL's path, query or credentials.</remarks>
internal sealed class WebhookSsrfBlockedException : IOException
{
    public WebhookSsrfBlockedException(string host, int port, IPAddress address, AddressCategory category)
        : base($"The webhook SSRF policy refused to connect to '{host}:{port}': {address} is {category.Describe()}. "
            + "If the endpoint is meant to be internal, allow it with WebhookSsrfOptions.AllowedNetworks or AllowedHosts.")
    {
        Host = host;
        Port = port;
        Address = address;
        Category = category;
    }

    /// <summary>Gets the host the sender tried to reach.</summary>
    public string Host { get; }

    /// <summary>Gets the port the sender tried to reach.</summary>
    public int Port { get; }

    /// <summary>Gets the first refused address (the host itself when it is an IP literal).</summary>
    public IPAddress Address { get; }

    /// <summary>Gets why <see cref="Address"/> was refused.</summary>
    public AddressCategory Category { get; }
}
