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

    /// <summary>Gets subscriptions whose deliveries must not be claimed now (endpoints at their concurrency limit).</summary>
    public IReadOnlyCollection<string> ExcludedSubscriptionIds { get; init; } = [];
}
