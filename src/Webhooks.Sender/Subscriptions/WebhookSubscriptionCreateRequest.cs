using Webhooks.Core;

namespace Webhooks.Sender;

/// <summary>A subscription to create: <c>new("https://example.com/hooks") { EventTypes = ["order.*"] }</c>.</summary>
public sealed class WebhookSubscriptionCreateRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="url">The endpoint URL (absolute http or https).</param>
    /// <exception cref="ArgumentException">The text is not an absolute URL.</exception>
    public WebhookSubscriptionCreateRequest(string url)
        : this(ParseUrl(url))
    {
    }

    /// <summary>Creates a request.</summary>
    /// <param name="url">The endpoint URL (absolute http or https).</param>
    public WebhookSubscriptionCreateRequest(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        Url = url;
    }

    /// <summary>Gets the endpoint URL.</summary>
    public Uri Url { get; }

    /// <summary>Gets the tenant the subscription belongs to.</summary>
    /// <value>The default is <see langword="null"/>: no tenant, or the tenant of the <see cref="IWebhookSubscriptions.ForTenant"/> view.</value>
    public string? TenantId { get; init; }

    /// <summary>Gets the event type filters (<c>order.created</c>, <c>order.*</c>, <c>*</c>).</summary>
    /// <value>The default is empty: every event type.</value>
    public IReadOnlyList<string> EventTypes { get; init; } = [];

    /// <summary>Gets the signing secret.</summary>
    /// <value>The default is <see langword="null"/>: a new random secret is generated.</value>
    public WebhookSecret? Secret { get; init; }

    /// <summary>Gets a free-text description.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Description { get; init; }

    /// <summary>Gets application metadata (never sent).</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Gets custom headers sent with every request (not <c>webhook-*</c>, <c>svix-*</c>, <c>Content-*</c>, <c>Host</c> or <c>User-Agent</c>).</summary>
    /// <value>The default is none.</value>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Gets a value indicating whether the subscription starts enabled.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; init; } = true;

    /// <summary>Gets the maximum requests per second to the endpoint (stored; not enforced yet).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? RateLimitPerSecond { get; init; }

    internal static Uri ParseUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        // "/hooks" is an absolute file URI on Unix; an endpoint always names its scheme.
        return url.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri
            : throw new ArgumentException($"The endpoint URL '{url}' is not an absolute URL; use a full http or https URL such as 'https://example.com/webhooks'.", nameof(url));
    }
}
