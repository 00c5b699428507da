namespace Webhooks.Sender;

/// <summary>The paging and tenant scope shared by every query. Results come newest first (by id, descending).</summary>
public abstract record WebhookQuery
{
    /// <summary>The largest page size: 1000.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Gets the tenant to restrict to, or <see langword="null"/> for every tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the page size, from 1 to <see cref="MaxLimit"/>.</summary>
    /// <value>The default is 100.</value>
    public int Limit { get; init; } = 100;

    /// <summary>Gets the previous page's <see cref="WebhookPage{T}.ContinuationToken"/>, or <see langword="null"/> for the first page.</summary>
    public string? After { get; init; }
}
