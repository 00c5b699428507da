namespace Webhooks.Sender.Subscriptions;

/// <summary>The default URL check: absolute http or https, a host, no user info, no fragment.</summary>
internal sealed class BasicSubscriptionUrlValidator : ISubscriptionUrlValidator
{
    public bool TryValidate(Uri url, out string? error)
    {
        error = null;
        if (!url.IsAbsoluteUri)
        {
            error = $"The endpoint URL '{url.OriginalString}' is not absolute; use a full http or https URL such as 'https://example.com/webhooks'.";
        }
        else if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            error = $"The endpoint URL scheme '{url.Scheme}' is not supported; use http or https.";
        }
        else if (!string.IsNullOrEmpty(url.UserInfo))
        {
            error = $"The endpoint URL for host '{url.Host}' contains credentials; remove them and use a custom header for authentication.";
        }
        else if (string.IsNullOrEmpty(url.Host))
        {
            error = $"The endpoint URL '{url.GetLeftPart(UriPartial.Path)}' has no host.";
        }
        else if (!string.IsNullOrEmpty(url.Fragment))
        {
            error = $"The endpoint URL '{url.GetLeftPart(UriPartial.Path)}' has a fragment; fragments are never sent, remove it.";
        }

        return error is null;
    }
}
