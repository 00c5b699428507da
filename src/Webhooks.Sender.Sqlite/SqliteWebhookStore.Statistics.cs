using Microsoft.Data.Sqlite;
using Webhooks.Core;
using Webhooks.Sender.Sqlite.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Sqlite;

/// <content>
/// Statistics for dashboards. The backlog is counted in the narrow queue and the delivery due first read from its due
/// indexes; the window's deliveries and attempts are primary key ranges (ids are time-sortable), so the cost follows
/// the window's volume and the backlog, not the history.
/// </content>
public sealed partial class SqliteWebhookStore : IWebhookStoreStatistics
{
    private const string StatisticsBacklog =
        "SELECT in_flight, count(*) FROM delivery_queue WHERE $tenant IS NULL OR tenant_id = $tenant GROUP BY in_flight";

    // One seek per due index; a tenant's rows are found by walking that index in due order.
    private const string StatisticsOldestDue =
        """
        SELECT id, due_at FROM (
            SELECT * FROM (SELECT delivery_id AS id, due_at FROM delivery_queue WHERE attempt_count = 0 AND ($tenant IS NULL OR tenant_id = $tenant) ORDER BY due_at, delivery_id LIMIT 1)
            UNION ALL
            SELECT * FROM (SELECT delivery_id AS id, due_at FROM delivery_queue WHERE attempt_count > 0 AND ($tenant IS NULL OR tenant_id = $tenant) ORDER BY due_at, delivery_id LIMIT 1))
        ORDER BY due_at, id LIMIT 1
        """;

    private const string StatisticsBuckets =
        """
        SELECT (created_at - $since) / $bucket AS b,
            CASE status WHEN 0 THEN ifnull((SELECT in_flight FROM delivery_queue WHERE delivery_id = deliveries.id), 0) ELSE status END AS s, count(*)
        FROM deliveries
        WHERE id >= $low AND id < $high AND created_at >= $since AND created_at < $until AND ($tenant IS NULL OR tenant_id = $tenant)
        GROUP BY b, s
        """;

    // The window's attempts are read by primary key range: left alone, the planner walks the subscription index once per
    // subscription to save the GROUP BY's sort, which reads the window ten times over (measured 250 ms against 26 ms
    // for 32,000 attempts in a table of 1,000,000).
    private const string StatisticsEndpointCounts =
        """
        SELECT subscription_id, count(*), sum(succeeded) FROM attempts INDEXED BY sqlite_autoindex_attempts_1
        WHERE id >= $low AND id < $high AND ($tenant IS NULL OR tenant_id = $tenant)
        GROUP BY subscription_id ORDER BY 2 DESC, 1 LIMIT $limit
        """;

    // Nearest-rank percentiles (the value at rank ceil(p * n)) picked while streaming each endpoint's durations in order:
    // constant memory, and about ten times cheaper than row_number() and count() windows over the same rows.
    private const string StatisticsEndpointDurations =
        """
        SELECT subscription_id, duration_us FROM attempts INDEXED BY sqlite_autoindex_attempts_1
        WHERE id >= $low AND id < $high AND ($tenant IS NULL OR tenant_id = $tenant)
        ORDER BY subscription_id, duration_us
        """;

    /// <inheritdoc />
    public Task<WebhookDeliveryStatistics> GetStatisticsAsync(WebhookStatisticsQuery query, CancellationToken cancellationToken = default)
    {
        WebhookStatisticsQuery.ThrowIfInvalid(query);
        return ReadAsync(query, static (connection, q) =>
        {
            var tenant = (object?)q.TenantId ?? DBNull.Value;
            long pending = 0, inFlight = 0;
            using (var command = connection.Command(StatisticsBacklog).With("$tenant", tenant))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (reader.GetInt32(0) == (int)WebhookDeliveryStatus.Pending)
                    {
                        pending = reader.GetInt64(1);
                    }
                    else
                    {
                        inFlight = reader.GetInt64(1);
                    }
                }
            }

            string? oldestId = null;
            DateTimeOffset? oldestAt = null;
            using (var command = connection.Command(StatisticsOldestDue).With("$tenant", tenant))
            using (var reader = command.ExecuteReader())
            {
                if (reader.Read())
                {
                    oldestId = reader.GetString(0);
                    oldestAt = reader.GetTime(1);
                }
            }

            var buckets = new long[q.BucketCount, 3];
            var since = q.Since.ToUnixTimeMilliseconds();
            using (var command = connection.Command(StatisticsBuckets)
                .With("$since", since)
                .With("$until", q.Until.ToUnixTimeMilliseconds())
                .With("$bucket", (long)q.BucketSize.TotalMilliseconds)
                .With("$low", WebhookId.LowerBound(WebhookId.DeliveryPrefix, q.Since))
                .With("$high", WebhookId.LowerBound(WebhookId.DeliveryPrefix, q.Until))
                .With("$tenant", tenant))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var bucket = reader.GetInt64(0);
                    if (bucket >= 0 && bucket < q.BucketCount)
                    {
                        buckets[bucket, StatisticsColumn((WebhookDeliveryStatus)reader.GetInt32(1))] += reader.GetInt64(2);
                    }
                }
            }

            var low = WebhookId.LowerBound(WebhookId.AttemptPrefix, q.Since);
            var high = WebhookId.LowerBound(WebhookId.AttemptPrefix, q.Until);
            var counts = new List<(string Id, long Attempts, long Succeeded)>();
            using (var command = connection.Command(StatisticsEndpointCounts).With("$low", low).With("$high", high).With("$tenant", tenant).With("$limit", q.EndpointLimit))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    counts.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
                }
            }

            var percentiles = new Dictionary<string, (long Rank, long P50Rank, long P95Rank, long P50, long P95)>(StringComparer.Ordinal);
            foreach (var (id, attempts, _) in counts)
            {
                percentiles[id] = (0, NearestRank(attempts, 50), NearestRank(attempts, 95), 0, 0);
            }

            if (counts.Count > 0)
            {
                using var command = connection.Command(StatisticsEndpointDurations).With("$low", low).With("$high", high).With("$tenant", tenant);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var id = reader.GetString(0);
                    if (!percentiles.TryGetValue(id, out var p))
                    {
                        continue;
                    }

                    var rank = p.Rank + 1;
                    var duration = reader.GetInt64(1);
                    percentiles[id] = (rank, p.P50Rank, p.P95Rank, rank == p.P50Rank ? duration : p.P50, rank == p.P95Rank ? duration : p.P95);
                }
            }

            var endpoints = new List<WebhookEndpointStatistics>(counts.Count);
            foreach (var (id, attempts, succeeded) in counts)
            {
                var p = percentiles[id];
                endpoints.Add(new WebhookEndpointStatistics(id, attempts, succeeded, TimeSpan.FromTicks(p.P50 * 10), TimeSpan.FromTicks(p.P95 * 10)));
            }

            var list = new WebhookStatisticsBucket[q.BucketCount];
            for (var i = 0; i < list.Length; i++)
            {
                list[i] = new WebhookStatisticsBucket(q.Since + (q.BucketSize * i), buckets[i, 0], buckets[i, 1], buckets[i, 2]);
            }

            return new WebhookDeliveryStatistics
            {
                Pending = pending,
                InFlight = inFlight,
                OldestDueDeliveryId = oldestId,
                OldestDueAt = oldestAt,
                Buckets = list,
                Endpoints = endpoints,
            };
        }, cancellationToken);
    }

    private static long NearestRank(long n, int percent) => Math.Max(1, ((n * percent) + 99) / 100);

    private static int StatisticsColumn(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Succeeded => 0,
        WebhookDeliveryStatus.Failed => 1,
        _ => 2,
    };
}
