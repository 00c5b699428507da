using Webhooks.Core;

namespace Webhooks.Testing;

/// <summary>Options of a <see cref="WebhookTestEndpoint"/>.</summary>
public sealed class WebhookTestEndpointOptions
{
    /// <summary>Gets the secrets requests are verified with (Standard Webhooks); more can be added with <see cref="WebhookTestEndpoint.Trust(WebhookSecret)"/>.</summary>
    /// <value>The default is empty: one secret is generated, see <see cref="WebhookTestEndpoint.Secret"/>.</value>
    public IList<WebhookSecret> Secrets { get; } = new List<WebhookSecret>();

    /// <summary>Gets or sets the clock of the timestamp check and of scripted delays; share the sender's fake clock.</summary>
    /// <value>The default is <see langword="null"/>: the system clock.</value>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets how far a signed timestamp may be from now, either way.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets a value indicating whether a request that fails verification is answered 401 (as a real receiver would), before any script.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RejectUnverified { get; set; } = true;

    /// <summary>Gets or sets the largest body read; a larger one is answered 413 and recorded without its body.</summary>
    /// <value>The default is 1 MiB.</value>
    public int MaxBodySize { get; set; } = 1024 * 1024;

    /// <summary>Gets or sets the port on 127.0.0.1.</summary>
    /// <value>The default is 0: a free port, see <see cref="WebhookTestEndpoint.BaseAddress"/>.</value>
    public int Port { get; set; }
}
