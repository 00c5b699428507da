namespace Webhooks.Sender.Storage;

/// <summary>
/// The per-subscription limits of a <see cref="WebhookClaimRequest"/> in the shape a SQL claim uses: subscriptions with
/// no capacity left join the excluded ones (skipped while scanning the due index), and the candidate window is wider than the batch when a cap may leave candidates out.
/// </summary>
/// <remarks>Linked into the SQL stores' assemblies (one definition of the rule for both).</remarks>
/// <param name="Excluded">Subscriptions whose deliveries are not claimed.</param>
/// <param name="Capacities">Subscriptions with a capacity of their own (at most the batch size).</param>
/// <param name="PerSubscription">The cap of every other subscription.</param>
/// <param name="Window">How many due rows of each kind (first attempts, retries, expired leases) a claim considers.</param>
internal readonly record struct ClaimCaps(List<string> Excluded, Dictionary<string, int> Capacities, int PerSubscription, int Window)
{
    /// <summary>With a cap, a claim considers up to this many times the batch size of each kind of due row.</summary>
    public const int WindowFactor = 4;

    /// <summary>The widest window, whatever the batch size.</summary>
    public const int MaxWindow = 10_000;

    /// <summary>Gets the limits of a claim.</summary>
    /// <param name="request">The claim request.</param>
    /// <returns>The limits.</returns>
    public static ClaimCaps Of(WebhookClaimRequest request)
    {
        var excluded = new List<string>(request.ExcludedSubscriptionIds);
        var capacities = new Dictionary<string, int>(StringComparer.Ordinal);
        var capped = request.MaxPerSubscription < request.MaxCount;
        foreach (var (subscriptionId, capacity) in request.SubscriptionCapacity)
        {
            if (capacity <= 0)
            {
                excluded.Add(subscriptionId);
                continue;
            }

            // An entry takes precedence over MaxPerSubscription, in both directions.
            capacities[subscriptionId] = Math.Min(capacity, request.MaxCount);
            capped |= capacity < request.MaxCount;
        }

        var perSubscription = Math.Max(request.MaxPerSubscription, 0);
        var window = capped ? (int)Math.Min((long)request.MaxCount * WindowFactor, Math.Max(MaxWindow, request.MaxCount)) : request.MaxCount;
        return new ClaimCaps(excluded, capacities, perSubscription, window);
    }
}
