using System.Net;
using System.Net.Sockets;

namespace Webhooks.Sender.Security;

/// <summary>The parsed, immutable form of <see cref="WebhookSsrfOptions"/> that the guard and the URL validator consult.</summary>
internal sealed class SsrfPolicy
{
    private readonly IPNetwork[] _networks;
    private readonly SsrfHostPattern[] _hosts;

    private SsrfPolicy(bool enabled, IPNetwork[] networks, SsrfHostPattern[] hosts)
    {
        Enabled = enabled;
        _networks = networks;
        _hosts = hosts;
    }

    /// <summary>Gets a policy that allows only public addresses.</summary>
    public static SsrfPolicy Default { get; } = new(enabled: true, [], []);

    public bool Enabled { get; }

    /// <summary>Builds the policy; throws <see cref="ArgumentException"/> listing every bad entry (start-up validation reports them first).</summary>
    public static SsrfPolicy Create(WebhookSsrfOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = WebhookSsrfOptionsValidator.Collect(options, nameof(WebhookSsrfOptions));
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, failures), nameof(options));
        }

        var networks = new IPNetwork[options.AllowedNetworks.Count];
        for (var i = 0; i < networks.Length; i++)
        {
            SsrfNetwork.TryParse(options.AllowedNetworks[i], out networks[i], out _);
        }

        var hosts = new SsrfHostPattern[options.AllowedHosts.Count];
        for (var i = 0; i < hosts.Length; i++)
        {
            SsrfHostPattern.TryParse(options.AllowedHosts[i], out hosts[i]!, out _);
        }

        return new SsrfPolicy(options.Enabled, networks, hosts);
    }

    /// <summary>Returns whether <paramref name="host"/> matches an entry of <see cref="WebhookSsrfOptions.AllowedHosts"/>.</summary>
    public bool IsHostAllowed(string host)
    {
        foreach (var pattern in _hosts)
        {
            if (pattern.Matches(host))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Classifies <paramref name="address"/> and returns whether the sender may connect to it.</summary>
    /// <param name="address">A resolved address or an IP literal.</param>
    /// <param name="hostAllowed">Whether the host name it came from is allow-listed.</param>
    /// <param name="category">The address's category.</param>
    public bool IsAllowed(IPAddress address, bool hostAllowed, out AddressCategory category)
    {
        category = IpAddressClassifier.Classify(address);
        if (!Enabled || category == AddressCategory.Public)
        {
            return true;
        }

        if (category == AddressCategory.CloudMetadata)
        {
            // Credentials live there: only an entry naming exactly this address opens it.
            return IsListedExactly(address) || (address.IsIPv4MappedToIPv6 && IsListedExactly(address.MapToIPv4()));
        }

        return hostAllowed || IsInAllowedNetwork(address) || (address.IsIPv4MappedToIPv6 && IsInAllowedNetwork(address.MapToIPv4()));
    }

    private bool IsInAllowedNetwork(IPAddress address)
    {
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsListedExactly(IPAddress address)
    {
        var fullLength = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        foreach (var network in _networks)
        {
            if (network.PrefixLength == fullLength && network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
