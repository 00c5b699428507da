using System.Net;

namespace Webhooks.Sender.Security;

/// <summary>
/// Checks an endpoint URL when a subscription is created or updated: absolute http(s), no credentials, a host, no
/// fragment, at most <see cref="MaxLength"/> characters, https when required, and no IP literal (or <c>localhost</c>)
/// that the SSRF policy refuses. Host names are not resolved here: the connect-time guard checks what they resolve to.
/// </summary>
/// <remarks>Messages quote the URL as <c>scheme://host:port</c> only: a path or query may hold a token (Slack and Discord URLs do).</remarks>
internal static class WebhookUrlValidator
{
    public const int MaxLength = 2048;

    private const string Example = "write an absolute http or https URL such as 'https://example.com/webhooks'";
    private const string AllowHint = "if the endpoint is meant to be internal, allow it with WebhookSsrfOptions.AllowedNetworks or AllowedHosts";

    /// <summary>Validates <paramref name="url"/> as typed by a user.</summary>
    public static WebhookUrlValidationResult Validate(string? url, SsrfPolicy policy, bool requireHttps)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (string.IsNullOrWhiteSpace(url))
        {
            return WebhookUrlValidationResult.Invalid(WebhookUrlError.Empty, $"The endpoint URL is empty; {Example}.");
        }

        if (url.Length > MaxLength)
        {
            return TooLong(url.Length);
        }

        // RelativeOrAbsolute: with UriKind.Absolute, "/hooks" parses as a file URL on Unix.
        if (!Uri.TryCreate(url, UriKind.RelativeOrAbsolute, out var uri) || !uri.IsAbsoluteUri)
        {
            var shown = url.Length <= 40 ? url : string.Concat(url.AsSpan(0, 40), "...");
            return WebhookUrlValidationResult.Invalid(WebhookUrlError.NotAbsolute, $"The endpoint URL '{shown}' is not a valid absolute URL; {Example}.");
        }

        return Validate(uri, policy, requireHttps);
    }

    /// <summary>Validates a parsed <paramref name="url"/>.</summary>
    public static WebhookUrlValidationResult Validate(Uri? url, SsrfPolicy policy, bool requireHttps)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (url is null)
        {
            return WebhookUrlValidationResult.Invalid(WebhookUrlError.Empty, $"The endpoint URL is empty; {Example}.");
        }

        if (!url.IsAbsoluteUri)
        {
            return WebhookUrlValidationResult.Invalid(WebhookUrlError.NotAbsolute, $"The endpoint URL is relative; {Example}.");
        }

        if (url.OriginalString.Length > MaxLength)
        {
            return TooLong(url.OriginalString.Length);
        }

        var isHttps = url.Scheme == Uri.UriSchemeHttps;
        if (!isHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            return WebhookUrlValidationResult.Invalid(WebhookUrlError.UnsupportedScheme,
                $"The endpoint URL uses the scheme '{url.Scheme}'; only http and https are supported; {Example}.");
        }

        if (url.UserInfo.Length > 0)
        {
            return WebhookUrlValidationResult.Invalid(WebhookUrlError.UserInfo,
                $"The endpoint URL for host '{url.Host}' contains credentials before '@'; remove them (requests are signed; custom headers can carry a token).");
        }

        if (url.Host.Length == 0)
        {
            return WebhookUrlValidationResult.Invalid(WebhookUrlError.MissingHost, $"The endpoint URL has no host; {Example}.");
        }

        var shownUrl = $"{url.Scheme}://{url.Authority}";
        if (url.Fragment.Length > 0 || url.OriginalString.Contains('#', StringComparison.Ordinal))
        {
            return WebhookUrlValidationResult.Invalid(WebhookUrlError.Fragment,
                $"The endpoint URL '{shownUrl}/...' has a fragment ('#...'), which is never sent to the endpoint; remove it.");
        }

        if (requireHttps && !isHttps)
        {
            return WebhookUrlValidationResult.Invalid(WebhookUrlError.HttpsRequired,
                $"The endpoint URL '{shownUrl}' uses http; https is required (WebhookSsrfOptions.RequireHttps, on by default outside Development).");
        }

        if (policy.Enabled && !policy.IsHostAllowed(url.IdnHost) && TryGetFixedAddress(url, out var address)
            && !policy.IsAllowed(address, hostAllowed: false, out var category))
        {
            return WebhookUrlValidationResult.Invalid(WebhookUrlError.BlockedAddress,
                $"The endpoint URL '{shownUrl}' points at {address}, {category.Describe()}, which the SSRF policy refuses; {AllowHint}.");
        }

        return WebhookUrlValidationResult.Valid(url);
    }

    private static WebhookUrlValidationResult TooLong(int length) =>
        WebhookUrlValidationResult.Invalid(WebhookUrlError.TooLong, $"The endpoint URL is {length} characters long; the limit is {MaxLength}.");

    /// <summary>An IP literal host, or <c>localhost</c> and <c>*.localhost</c> (RFC 6761: always loopback).</summary>
    private static bool TryGetFixedAddress(Uri url, out IPAddress address)
    {
        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(url.DnsSafeHost, out var literal))
        {
            address = literal;
            return true;
        }

        var host = url.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
            return true;
        }

        address = IPAddress.None;
        return false;
    }
}
