namespace Webhooks.Sender;

/// <summary>
/// Server-side request forgery (SSRF) protection for outgoing webhook requests: which endpoint URLs are accepted
/// and which addresses the sender may connect to.
/// </summary>
/// <remarks>
/// <para>
/// The guard runs when a connection is opened: it resolves the host, refuses the connection if any resolved
/// address is loopback, private (RFC 1918), link-local, carrier-grade NAT, unique-local or site-local IPv6,
/// multicast, unspecified, broadcast, documentation, benchmarking, reserved, an IPv6 form embedding one of
/// those, or a cloud metadata address, and otherwise connects to the very addresses it checked, so a DNS
/// answer that changes between check and connect (DNS rebinding) cannot slip through.
/// </para>
/// <para>
/// Use <see cref="AllowedNetworks"/> and <see cref="AllowedHosts"/> to reach internal endpoints on purpose,
/// for example a local receiver during development.
/// </para>
/// </remarks>
public sealed class WebhookSsrfOptions
{
    /// <summary>Gets or sets a value indicating whether the connect-time address guard and the address checks of URL validation run.</summary>
    /// <value>The default is <see langword="true"/>. Turn it off only when every endpoint is trusted.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets the networks the sender may connect to even though they are not public, in CIDR notation
    /// (<c>10.20.0.0/16</c>, <c>127.0.0.0/8</c>, <c>fd12:3456::/32</c>) or as single addresses (<c>192.168.1.10</c>).
    /// </summary>
    /// <remarks>
    /// An address is allowed when any entry contains it, or contains the IPv4 address an IPv4-mapped IPv6 address carries.
    /// Cloud metadata addresses (<c>169.254.169.254</c>, <c>fd00:ec2::254</c>, ...) are allowed only by an entry that names
    /// exactly that address, never by a broader range or by <see cref="AllowedHosts"/>.
    /// </remarks>
    /// <value>The default is empty: only public addresses are reachable.</value>
    public IList<string> AllowedNetworks { get; } = new List<string>();

    /// <summary>
    /// Gets the host names whose addresses are not checked: an exact name (<c>hooks.internal.example</c>) or a wildcard
    /// <c>*.internal.example</c> that matches every subdomain of <c>internal.example</c> but not <c>internal.example</c> itself.
    /// </summary>
    /// <remarks>Matching ignores case and a trailing dot. Listing a name trusts whatever its DNS answers, so list only names you control.</remarks>
    /// <value>The default is empty.</value>
    public IList<string> AllowedHosts { get; } = new List<string>();

    /// <summary>Gets or sets a value indicating whether subscription URLs must use <c>https</c>.</summary>
    /// <value>
    /// The default is <see langword="null"/>: https is required unless the host environment
    /// (<c>IHostEnvironment.EnvironmentName</c>, from <c>ASPNETCORE_ENVIRONMENT</c> or <c>DOTNET_ENVIRONMENT</c>) is
    /// <c>Development</c>; without a host environment https is required.
    /// </value>
    public bool? RequireHttps { get; set; }
}
