namespace Webhooks.Core;

/// <summary>An endpoint subscribed to events: where to send them, which ones, and how to sign them.</summary>
public sealed record WebhookSubscription
{
    /// <summary>Gets the subscription id (<c>sub_...</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the tenant the subscription belongs to, or <see langword="null"/> for none.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the endpoint URL (absolute http or https).</summary>
    public required Uri Url { get; init; }

    /// <summary>Gets the signing secrets; during rotation the old one carries an expiry.</summary>
    public IReadOnlyList<WebhookSubscriptionSecret> Secrets { get; init; } = [];

    /// <summary>Gets the event type filters (<c>order.created</c>, <c>order.*</c>, <c>*</c>).</summary>
    /// <value>The default is empty, which receives every event type.</value>
    public IReadOnlyList<string> EventTypes { get; init; } = [];

    /// <summary>Gets a value indicating whether deliveries are made.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; init; } = true;

    /// <summary>Gets why the subscription was disabled, when it was disabled by the sender (for example 410 Gone).</summary>
    public string? DisabledReason { get; init; }

    /// <summary>Gets a free-text description.</summary>
    public string? Description { get; init; }

    /// <summary>Gets application metadata (never sent to the endpoint).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets custom headers sent with every request to the endpoint.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the maximum requests per second to this endpoint, or <see langword="null"/> for the sender's default.</summary>
    public int? RateLimitPerSecond { get; init; }

    /// <summary>Gets when the subscription was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the subscription was last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Returns the secrets that sign at <paramref name="now"/> (not expired), newest first.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>
    /// The active secrets, ordered by <see cref="WebhookSubscriptionSecret.CreatedAt"/> descending (secrets created at the
    /// same instant keep their list order); empty when every secret has expired. A secret expires at
    /// <see cref="WebhookSubscriptionSecret.ExpiresAt"/> exactly.
    /// </returns>
    public IReadOnlyList<WebhookSecret> GetActiveSecrets(DateTimeOffset now)
    {
        var secrets = Secrets;
        var count = 0;
        for (var i = 0; i < secrets.Count; i++)
        {
            if (secrets[i] is { } entry && entry.IsActive(now))
            {
                count++;
            }
        }

        if (count == 0)
        {
            return [];
        }

        // Called on every delivery attempt: an insertion sort over the (one or two) active entries, no LINQ.
        var active = new WebhookSubscriptionSecret[count];
        var n = 0;
        for (var i = 0; i < secrets.Count; i++)
        {
            if (secrets[i] is not { } entry || !entry.IsActive(now))
            {
                continue;
            }

            var j = n++;
            while (j > 0 && active[j - 1].CreatedAt < entry.CreatedAt)
            {
                active[j] = active[j - 1];
                j--;
            }

            active[j] = entry;
        }

        var result = new WebhookSecret[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = active[i].Secret;
        }

        return result;
    }
}
