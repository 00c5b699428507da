using Webhooks.Core;

namespace Webhooks.Sender.Storage;

/// <content>Statistics for dashboards: the backlog and the window's deliveries and attempts, walked by id range.</content>
public sealed partial class InMemoryWebhookStore : IWebhookStoreStatistics
{
    /// <inheritdoc />
    public Task<WebhookDeliveryStatistics> GetStatisticsAsync(WebhookStatisticsQuery query, CancellationToken cancellationToken = default)
    {
        WebhookStatisticsQuery.ThrowIfInvalid(query);
        var since = query.Since;
        var until = query.Until;
        var tenant = query.TenantId;
        lock (_lock)
        {
            long pending = 0, inFlight = 0;
            DueKey? oldest = null;
            // Every unfinished delivery is in its subscription's due sets (first attempts and retries).
            foreach (var key in _dueBySubscription.Values.SelectMany(static sets => sets[0].Concat(sets[1])))
            {
                var delivery = _deliveries[key.Id];
                if (tenant is not null && delivery.TenantId != tenant)
                {
                    continue;
                }

                if (delivery.Status == WebhookDeliveryStatus.Pending)
                {
                    pending++;
                }
                else
                {
                    inFlight++;
                }

                if (oldest is null || key.Due < oldest.Value.Due || (key.Due == oldest.Value.Due && string.CompareOrdinal(key.Id, oldest.Value.Id) < 0))
                {
                    oldest = key;
                }
            }

            var counts = new long[query.BucketCount, 3];
            foreach (var id in Window(_deliveryIds, WebhookId.DeliveryPrefix, since, until))
            {
                var d = _deliveries[id];
                if (d.CreatedAt < since || d.CreatedAt >= until || (tenant is not null && d.TenantId != tenant))
                {
                    continue;
                }

                var bucket = (int)((d.CreatedAt - since).Ticks / query.BucketSize.Ticks);
                counts[bucket, d.Status switch { WebhookDeliveryStatus.Succeeded => 0, WebhookDeliveryStatus.Failed => 1, _ => 2 }]++;
            }

            var durations = new Dictionary<string, (long Succeeded, List<TimeSpan> Durations)>(StringComparer.Ordinal);
            foreach (var id in Window(_attemptIds, WebhookId.AttemptPrefix, since, until))
            {
                var a = _attempts[id];
                if (tenant is not null && a.TenantId != tenant)
                {
                    continue;
                }

                if (!durations.TryGetValue(a.SubscriptionId, out var entry))
                {
                    entry = (0, []);
                }

                entry.Durations.Add(a.Duration);
                durations[a.SubscriptionId] = (entry.Succeeded + (a.Succeeded ? 1 : 0), entry.Durations);
            }

            var endpoints = durations
                .Select(static pair =>
                {
                    pair.Value.Durations.Sort();
                    var n = pair.Value.Durations.Count;
                    return new WebhookEndpointStatistics(pair.Key, n, pair.Value.Succeeded, pair.Value.Durations[NearestRank(n, 50)], pair.Value.Durations[NearestRank(n, 95)]);
                })
                .OrderByDescending(static e => e.Attempts)
                .ThenBy(static e => e.SubscriptionId, StringComparer.Ordinal)
                .Take(query.EndpointLimit)
                .ToArray();

            var buckets = new WebhookStatisticsBucket[query.BucketCount];
            for (var i = 0; i < buckets.Length; i++)
            {
                buckets[i] = new WebhookStatisticsBucket(since + (query.BucketSize * i), counts[i, 0], counts[i, 1], counts[i, 2]);
            }

            return Task.FromResult(new WebhookDeliveryStatistics
            {
                Pending = pending,
                InFlight = inFlight,
                OldestDueDeliveryId = oldest?.Id,
                OldestDueAt = oldest?.Due,
                Buckets = buckets,
                Endpoints = endpoints,
            });
        }
    }

    // The ids created in [since, until): ids are time-sortable, so the window is a range of the sorted set.
    private static SortedSet<string> Window(SortedSet<string> ids, string prefix, DateTimeOffset since, DateTimeOffset until) =>
        ids.GetViewBetween(WebhookId.LowerBound(prefix, since), WebhookId.LowerBound(prefix, until));

    // The index of the nearest-rank percentile in a sorted list of n values: ceil(p/100 * n) - 1.
    private static int NearestRank(int n, int percent) => Math.Max(0, ((n * percent) + 99) / 100 - 1);
}
