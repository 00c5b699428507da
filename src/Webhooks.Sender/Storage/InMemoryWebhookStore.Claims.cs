namespace Webhooks.Sender.Storage;

/// <summary>
/// The due index and the claim. Each subscription keeps its own due deliveries in two ordered sets (first attempts,
/// retries), and <see cref="_heads"/> holds the earliest of each set. A claim merges the subscriptions' sets in claim
/// order, taking at most each subscription's cap: subscriptions enter the merge as their heads come up, and one leaves
/// it once its cap is reached. The cost is bounded by the deliveries taken and the subscriptions passed over (excluded
/// or without capacity), never by the backlog behind a busy endpoint.
/// </summary>
public sealed partial class InMemoryWebhookStore
{
    private const int FirstAttempts = 0;
    private const int Retries = 1;

    private static readonly ClaimOrderComparer ClaimOrder = new();

    private readonly Dictionary<string, SortedSet<DueKey>[]> _dueBySubscription = new(StringComparer.Ordinal);
    private readonly SortedSet<DueKey> _heads = [];
    private int _dueCount;

    private void IndexDue(WebhookDelivery d)
    {
        if (DueKey.Of(d) is not { } key)
        {
            return;
        }

        if (!_dueBySubscription.TryGetValue(d.SubscriptionId, out var sets))
        {
            _dueBySubscription[d.SubscriptionId] = sets = [new SortedSet<DueKey>(), new SortedSet<DueKey>()];
        }

        var set = sets[key.Group];
        if (set.Count == 0 || key.CompareTo(set.Min) < 0)
        {
            if (set.Count > 0)
            {
                _heads.Remove(set.Min);
            }

            _heads.Add(key);
        }

        set.Add(key);
        _dueCount++;
    }

    private void UnindexDue(WebhookDelivery d)
    {
        if (DueKey.Of(d) is not { } key || !_dueBySubscription.TryGetValue(d.SubscriptionId, out var sets))
        {
            return;
        }

        var set = sets[key.Group];
        var wasHead = set.Count > 0 && set.Min.Equals(key);
        if (!set.Remove(key))
        {
            return;
        }

        _dueCount--;
        if (wasHead)
        {
            _heads.Remove(key);
            if (set.Count > 0)
            {
                _heads.Add(set.Min);
            }
            else if (sets[1 - key.Group].Count == 0)
            {
                _dueBySubscription.Remove(d.SubscriptionId);
            }
        }
    }

    /// <summary>Picks the deliveries a claim takes, in claim order, without changing anything.</summary>
    private List<WebhookDelivery> PickDue(WebhookClaimRequest request, DateTimeOffset now)
    {
        // Ranked with first attempts: retries due at or before the cutoff.
        DateTimeOffset? agedBy = request.RetryAgingThreshold is { } threshold && threshold >= TimeSpan.Zero && now - DateTimeOffset.MinValue > threshold
            ? now - threshold
            : null;
        var excluded = request.ExcludedSubscriptionIds.Count == 0 ? null : new HashSet<string>(request.ExcludedSubscriptionIds, StringComparer.Ordinal);
        var taken = new Dictionary<string, int>(StringComparer.Ordinal);
        var picked = new List<WebhookDelivery>(Math.Min(request.MaxCount, 64));

        // The streams merged: the two groups' heads (each subscription's earliest key), then, for every subscription
        // taken from, the rest of its set. Every stream is ordered, and every due key is in exactly one of them.
        var merge = new PriorityQueue<DueStream, (int Rank, DueKey Key)>(ClaimOrder);
        Enqueue(merge, new DueStream(_heads.GetViewBetween(DueKey.First(FirstAttempts), DueKey.Last(FirstAttempts, now)).GetEnumerator(), IsHeads: true), agedBy);
        Enqueue(merge, new DueStream(_heads.GetViewBetween(DueKey.First(Retries), DueKey.Last(Retries, now)).GetEnumerator(), IsHeads: true), agedBy);
        while (picked.Count < request.MaxCount && merge.TryDequeue(out var stream, out var order))
        {
            var d = _deliveries[order.Key.Id];
            var subscriptionId = d.SubscriptionId;
            if (stream.IsHeads)
            {
                // The next subscription's head comes up in its turn.
                Enqueue(merge, stream, agedBy);
            }

            var cap = excluded is not null && excluded.Contains(subscriptionId) ? 0
                : request.SubscriptionCapacity.TryGetValue(subscriptionId, out var capacity) ? capacity
                : request.MaxPerSubscription;
            taken.TryGetValue(subscriptionId, out var count);
            if (count >= cap)
            {
                // Capped: this stream leaves the merge (a head stream only passes this subscription by).
                continue;
            }

            picked.Add(d);
            taken[subscriptionId] = ++count;
            if (count >= cap)
            {
                continue;
            }

            if (stream.IsHeads)
            {
                // The subscription enters the merge with the rest of its set (the head itself already taken).
                var rest = _dueBySubscription[subscriptionId][order.Key.Group].GetViewBetween(order.Key, DueKey.Last(order.Key.Group, now)).GetEnumerator();
                rest.MoveNext();
                Enqueue(merge, new DueStream(rest, IsHeads: false), agedBy);
            }
            else
            {
                Enqueue(merge, stream, agedBy);
            }
        }

        return picked;
    }

    private static void Enqueue(PriorityQueue<DueStream, (int Rank, DueKey Key)> merge, DueStream stream, DateTimeOffset? agedBy)
    {
        if (stream.Keys.MoveNext())
        {
            var key = stream.Keys.Current;
            var rank = key.Group == FirstAttempts || (agedBy is { } cutoff && key.Due <= cutoff) ? 0 : 1;
            merge.Enqueue(stream, (rank, key));
        }
    }

    /// <summary>One ordered source of due keys in a claim's merge.</summary>
    /// <param name="Keys">The keys, positioned before the next one.</param>
    /// <param name="IsHeads">Whether these are subscriptions' heads (each from a different subscription).</param>
    private sealed record DueStream(IEnumerator<DueKey> Keys, bool IsHeads);

    /// <summary>Claim order: rank (first attempts and aged retries, then other retries), due time, id.</summary>
    private sealed class ClaimOrderComparer : IComparer<(int Rank, DueKey Key)>
    {
        public int Compare((int Rank, DueKey Key) x, (int Rank, DueKey Key) y)
        {
            var c = x.Rank.CompareTo(y.Rank);
            if (c == 0)
            {
                c = x.Key.Due.CompareTo(y.Key.Due);
            }

            return c != 0 ? c : string.CompareOrdinal(x.Key.Id, y.Key.Id);
        }
    }

    private readonly record struct DueKey(int Group, DateTimeOffset Due, string Id) : IComparable<DueKey>
    {
        public static DueKey First(int group) => new(group, DateTimeOffset.MinValue, string.Empty);

        public static DueKey Last(int group, DateTimeOffset due) => new(group, due, "\uffff");

        public static DueKey? Of(WebhookDelivery d) => d.Status switch
        {
            WebhookDeliveryStatus.Pending => new DueKey(d.AttemptCount == 0 ? FirstAttempts : Retries, d.NextAttemptAt, d.Id),
            WebhookDeliveryStatus.InFlight => new DueKey(d.AttemptCount == 0 ? FirstAttempts : Retries, d.LeaseExpiresAt ?? DateTimeOffset.MinValue, d.Id),
            _ => null,
        };

        public int CompareTo(DueKey other)
        {
            var c = Group.CompareTo(other.Group);
            if (c == 0)
            {
                c = Due.CompareTo(other.Due);
            }

            return c != 0 ? c : string.CompareOrdinal(Id, other.Id);
        }
    }
}
