namespace Webhooks.Sender.Security;

/// <summary>Why an endpoint URL was rejected.</summary>
internal enum WebhookUrlError
{
    /// <summary>The URL is acceptable.</summary>
    None = 0,

    /// <summary>The URL is null, empty or white space.</summary>
    Empty,

    /// <summary>The URL is longer than <see cref="WebhookUrlValidator.MaxLength"/>.</summary>
    TooLong,

    /// <summary>The URL is not a valid absolute URL.</summary>
    NotAbsolute,

    /// <summary>The scheme is not http or https.</summary>
    UnsupportedScheme,

    /// <summary>The URL carries credentials (<c>user:password@</c>).</summary>
    UserInfo,

    /// <summary>The URL has no host.</summary>
    MissingHost,

    /// <summary>The URL has a fragment (<c>#...</c>), which is never sent.</summary>
    Fragment,

    /// <summary>The URL uses http while https is required.</summary>
    HttpsRequired,

    /// <summary>The host is an IP literal (or <c>localhost</c>) that the SSRF policy refuses.</summary>
    BlockedAddress,
}
