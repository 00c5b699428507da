using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Webhooks.Sender.Security;

/// <summary>An entry of <see cref="WebhookSsrfOptions.AllowedHosts"/>: an exact host name, or <c>*.suffix</c> for every subdomain.</summary>
internal sealed class SsrfHostPattern
{
    private readonly string _name;
    private readonly bool _isWildcard;

    private SsrfHostPattern(string name, bool isWildcard)
    {
        _name = name;
        _isWildcard = isWildcard;
    }

    public static bool TryParse(string? value, [NotNullWhen(true)] out SsrfHostPattern? pattern, [NotNullWhen(false)] out string? error)
    {
        pattern = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "is empty; write a host name such as 'hooks.internal.example' or '*.internal.example'.";
            return false;
        }

        if (value is "*" or "*.")
        {
            error = $"'{value}' would allow every host; set WebhookSsrfOptions.Enabled to false to turn the guard off instead.";
            return false;
        }

        var isWildcard = value.StartsWith("*.", StringComparison.Ordinal);
        var name = isWildcard ? value[2..] : value;
        if (IPAddress.TryParse(name.Trim('[', ']'), out _) && Uri.CheckHostName(name.Trim('[', ']')) is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            error = $"'{value}' is an IP address; list addresses in WebhookSsrfOptions.AllowedNetworks instead.";
            return false;
        }

        var normalized = Normalize(name);
        if (normalized is null || Uri.CheckHostName(normalized) != UriHostNameType.Dns)
        {
            error = $"'{value}' is not a host name: write only the name (no scheme, port, path or spaces), such as 'hooks.internal.example' or '*.internal.example'.";
            return false;
        }

        pattern = new SsrfHostPattern(isWildcard ? "." + normalized : normalized, isWildcard);
        error = null;
        return true;
    }

    /// <summary>Returns whether <paramref name="host"/> (as the handler connects to it: ASCII, any case, maybe a trailing dot) matches.</summary>
    public bool Matches(string host)
    {
        var span = host.AsSpan().TrimEnd('.');
        return _isWildcard
            ? span.Length > _name.Length && span.EndsWith(_name, StringComparison.OrdinalIgnoreCase)
            : span.Equals(_name, StringComparison.OrdinalIgnoreCase);
    }

    private static string? Normalize(string name)
    {
        name = name.TrimEnd('.');
        if (name.Length == 0)
        {
            return null;
        }

        try
        {
            return new IdnMapping().GetAscii(name).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
