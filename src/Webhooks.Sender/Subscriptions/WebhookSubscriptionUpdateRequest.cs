namespace Webhooks.Sender;

/// <summary>Changes to a subscription; a property left <see langword="null"/> keeps its value.</summary>
public sealed class WebhookSubscriptionUpdateRequest
{
    /// <summary>Gets the new endpoint URL.</summary>
    /// <value>The default is <see langword="null"/>: unchanged.</value>
    public Uri? Url { get; init; }

    /// <summary>Gets the new event type filters (empty for every event type).</summary>
    /// <value>The default is <see langword="null"/>: unchanged.</value>
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>Gets the new description.</summary>
    /// <value>The default is <see langword="null"/>: unchanged.</value>
    public string? Description { get; init; }

    /// <summary>Gets the new metadata (replaces all of it).</summary>
    /// <value>The default is <see langword="null"/>: unchanged.</value>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Gets the new custom headers (replaces all of them).</summary>
    /// <value>The default is <see langword="null"/>: unchanged.</value>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Gets the new rate limit.</summary>
    /// <value>The default is <see langword="null"/>: unchanged.</value>
    public int? RateLimitPerSecond { get; init; }
}
