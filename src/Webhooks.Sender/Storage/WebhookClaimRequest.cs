namespace Webhooks.Sender.Storage;

/// <summary>What <see cref="IWebhookStore.ClaimAsync"/> should claim.</summary>
public sealed record WebhookClaimRequest
{
    /// <summary>Gets the claiming dispatcher instance (for operators; the guard is the lease id).</summary>
    public required string LeaseOwner { get; init; }

    /// <summary>Gets the most deliveries to claim.</summary>
    public required int MaxCount { get; init; }

    /// <summary>Gets how long the lease lasts.</summary>
    public required TimeSpan LeaseDuration { get; init; }

    /// <summary>Gets subscriptions whose deliveries must not be claimed now (endpoints paused or at their concurrency limit).</summary>
    public IReadOnlyCollection<string> ExcludedSubscriptionIds { get; init; } = [];

    /// <summary>
    /// Gets the most deliveries of any one subscription that this claim returns, so that the per-endpoint concurrency
    /// limit is applied inside the claim and not by releasing a surplus afterwards.
    /// </summary>
    /// <value>The default is <see cref="int.MaxValue"/> (no cap).</value>
    public int MaxPerSubscription { get; init; } = int.MaxValue;

    /// <summary>
    /// Gets, for named subscriptions, the most deliveries this claim returns for each (an endpoint with attempts
    /// running has fewer free slots); it takes precedence over <see cref="MaxPerSubscription"/>, and 0 means none, as
    /// <see cref="ExcludedSubscriptionIds"/> does.
    /// </summary>
    /// <value>The default is empty: every subscription is capped by <see cref="MaxPerSubscription"/>.</value>
    public IReadOnlyDictionary<string, int> SubscriptionCapacity { get; init; } = EmptyCapacity;

    /// <summary>
    /// Gets how long a retry may have been due before it ranks with first attempts. First attempts come before retries;
    /// without this bound, a sender whose publishing outpaces delivery would never reach its retries. A retry due at or
    /// before <c>now - RetryAgingThreshold</c> is ordered among first attempts by its due time.
    /// </summary>
    /// <value>The default is <see langword="null"/>: retries always come after first attempts.</value>
    public TimeSpan? RetryAgingThreshold { get; init; }

    private static readonly IReadOnlyDictionary<string, int> EmptyCapacity = new Dictionary<string, int>(StringComparer.Ordinal);
}
