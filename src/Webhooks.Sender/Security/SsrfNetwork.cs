using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Webhooks.Sender.Security;

/// <summary>Parses the entries of <see cref="WebhookSsrfOptions.AllowedNetworks"/> strictly, with errors that say what to write.</summary>
internal static class SsrfNetwork
{
    private const string Example = "write a network such as '10.20.0.0/16' or 'fd12:3456::/32', or a single address such as '192.168.1.10'";

    public static bool TryParse(string? value, out IPNetwork network, [NotNullWhen(false)] out string? error)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = $"is empty; {Example}.";
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? value : value[..slash];
        if (!TryParseAddress(addressText, out var address))
        {
            error = $"'{value}' is not a network in CIDR notation: '{addressText}' is not an IPv4 or IPv6 address; {Example}.";
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefixLength = maxPrefix;
        if (slash >= 0)
        {
            var prefixText = value[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength)
                || prefixLength > maxPrefix)
            {
                error = $"'{value}' is not a network in CIDR notation: the prefix length must be a number from 0 to {maxPrefix}; {Example}.";
                return false;
            }
        }

        var baseAddress = Mask(address, prefixLength);
        if (!baseAddress.Equals(address))
        {
            error = $"'{value}' has bits set after the /{prefixLength} prefix; did you mean '{baseAddress}/{prefixLength}'?";
            return false;
        }

        network = new IPNetwork(baseAddress, prefixLength);
        error = null;
        return true;
    }

    private static bool TryParseAddress(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;

        // IPAddress.TryParse also takes "10", "10.1" or "0x0a.1" as IPv4; a configuration entry must be spelled out.
        var isV6 = text.Contains(':', StringComparison.Ordinal);
        if (text.Length == 0 || text.Contains('%', StringComparison.Ordinal)
            || (!isV6 && (text.Count(c => c == '.') != 3 || !text.All(c => c == '.' || char.IsAsciiDigit(c)))))
        {
            return false;
        }

        return IPAddress.TryParse(text, out address)
            && address.AddressFamily == (isV6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
    }

    private static IPAddress Mask(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bitsInByte = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bitsInByte));
        }

        return new IPAddress(bytes);
    }
}
