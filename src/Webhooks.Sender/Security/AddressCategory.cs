namespace Webhooks.Sender.Security;

/// <summary>What an IP address is, as far as the SSRF guard cares. Only <see cref="Public"/> is reachable by default.</summary>
internal enum AddressCategory
{
    /// <summary>A globally routable unicast address.</summary>
    Public = 0,

    /// <summary><c>127.0.0.0/8</c>, <c>::1</c>.</summary>
    Loopback,

    /// <summary>RFC 1918: <c>10.0.0.0/8</c>, <c>172.16.0.0/12</c>, <c>192.168.0.0/16</c>.</summary>
    Private,

    /// <summary><c>169.254.0.0/16</c>, <c>fe80::/10</c>.</summary>
    LinkLocal,

    /// <summary>Carrier-grade NAT, RFC 6598: <c>100.64.0.0/10</c>.</summary>
    SharedAddressSpace,

    /// <summary>Unique local IPv6, RFC 4193: <c>fc00::/7</c>.</summary>
    UniqueLocal,

    /// <summary>Deprecated site-local IPv6, RFC 3879: <c>fec0::/10</c>.</summary>
    SiteLocal,

    /// <summary><c>224.0.0.0/4</c>, <c>ff00::/8</c>.</summary>
    Multicast,

    /// <summary><c>0.0.0.0</c>, <c>::</c>.</summary>
    Unspecified,

    /// <summary><c>255.255.255.255</c>.</summary>
    Broadcast,

    /// <summary>RFC 5737 and RFC 3849/9637: <c>192.0.2.0/24</c>, <c>198.51.100.0/24</c>, <c>203.0.113.0/24</c>, <c>2001:db8::/32</c>, <c>3fff::/20</c>.</summary>
    Documentation,

    /// <summary>RFC 2544 and RFC 5180: <c>198.18.0.0/15</c>, <c>2001:2::/48</c>.</summary>
    Benchmarking,

    /// <summary>Not a destination for a webhook: <c>0.0.0.0/8</c>, <c>192.0.0.0/24</c>, <c>192.88.99.0/24</c>, <c>240.0.0.0/4</c>,
    /// IETF protocol assignments and Teredo (<c>2001::/23</c>), discard-only, SRv6, deprecated IPv4-compatible forms,
    /// and any IPv6 address outside global unicast <c>2000::/3</c>.</summary>
    Reserved,

    /// <summary>An instance metadata or platform endpoint of a cloud provider (AWS, GCP, Azure, Alibaba).</summary>
    CloudMetadata,
}
