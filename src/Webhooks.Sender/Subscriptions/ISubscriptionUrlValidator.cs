namespace Webhooks.Sender.Subscriptions;

/// <summary>
/// Decides whether a URL may be used as a subscription endpoint. The seam for the URL policy: the default only checks
/// the form of the URL; a stricter policy replaces the registration.
/// </summary>
internal interface ISubscriptionUrlValidator
{
    /// <summary>Checks a URL.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="error">Why it is refused (quoting the URL without its credentials or query).</param>
    /// <returns><see langword="true"/> when the URL is allowed.</returns>
    bool TryValidate(Uri url, out string? error);
}
