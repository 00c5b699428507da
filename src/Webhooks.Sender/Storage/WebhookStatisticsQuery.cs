namespace Webhooks.Sender;

/// <summary>The window and granularity of <see cref="Storage.IWebhookStoreStatistics.GetStatisticsAsync"/>.</summary>
public sealed record WebhookStatisticsQuery
{
    /// <summary>The most buckets a query may ask for: 1000.</summary>
    public const int MaxBuckets = 1000;

    /// <summary>The most endpoints a query may ask for: 1000.</summary>
    public const int MaxEndpointLimit = 1000;

    /// <summary>Gets the tenant to restrict to, or <see langword="null"/> for every tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the start of the window (inclusive).</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>Gets the length of one bucket of <see cref="WebhookDeliveryStatistics.Buckets"/>.</summary>
    /// <value>The default is one hour.</value>
    public TimeSpan BucketSize { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Gets the number of buckets; the window ends at <see cref="Until"/>.</summary>
    /// <value>The default is 24.</value>
    public int BucketCount { get; init; } = 24;

    /// <summary>Gets the most endpoints listed in <see cref="WebhookDeliveryStatistics.Endpoints"/> (the busiest first).</summary>
    /// <value>The default is 50.</value>
    public int EndpointLimit { get; init; } = 50;

    /// <summary>Gets the end of the window (exclusive): <see cref="Since"/> plus <see cref="BucketCount"/> buckets.</summary>
    public DateTimeOffset Until => Since + (BucketSize * BucketCount);

    /// <summary>Throws when the query cannot be answered.</summary>
    /// <param name="query">The query.</param>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The bucket size is below one millisecond, or the bucket count or endpoint limit is outside its range; the message names the value.</exception>
    public static void ThrowIfInvalid(WebhookStatisticsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.BucketSize < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.BucketSize, $"The bucket size (BucketSize) must be at least one millisecond; got {query.BucketSize}.");
        }

        if (query.BucketCount is < 1 or > MaxBuckets)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.BucketCount, $"The bucket count (BucketCount) must be between 1 and {MaxBuckets}; got {query.BucketCount}.");
        }

        if (query.EndpointLimit is < 0 or > MaxEndpointLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.EndpointLimit, $"The endpoint limit (EndpointLimit) must be between 0 and {MaxEndpointLimit}; got {query.EndpointLimit}.");
        }
    }
}
