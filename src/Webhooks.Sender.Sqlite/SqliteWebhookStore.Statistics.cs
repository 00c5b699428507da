using Microsoft.Data.Sqlite;
using Webhooks.Core;
using Webhooks.Sender.Sqlite.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Sqlite;

/// <content>
/// Statistics for dashboards. The backlog is counted on the status index and the delivery due first read from the due
/// indexes; the window's deliveries and attempts are primary key ranges (ids are time-sortable), so the cost follows
/// the window's volume and the backlog, not the history.
/// </content>
public sealed partial class SqliteWebhookStore : IWebhookStoreStatistics
{
    private const string StatisticsBacklog =
        "SELECT status, count(*) FROM deliveries WHERE status IN (0, 1) AND ($tenant IS NULL OR tenant_id = $tenant) GROUP BY status";

    // One seek per due index; a tenant's rows are found by walking that index in due order.
    private const string StatisticsOldestDue =
        """
        SELECT id, due_at FROM (
            SELECT * FROM (SELECT id, due_at FROM deliveries WHERE due_at IS NOT NULL AND attempt_count = 0 AND ($tenant IS NULL OR tenant_id = $tenant) ORDER BY due_at, id LIMIT 1)
            UNION ALL
            SELECT * FROM (SELECT id, due_at FROM deliveries WHERE due_at IS NOT NULL AND attempt_count > 0 AND ($tenant IS NULL OR tenant_id = $tenant) ORDER BY due_at, id LIMIT 1))
        ORDER BY due_at, id LIMIT 1
        """;

    private const string StatisticsBuckets =
        """
        SELECT (created_at - $since) / $bucket AS b, status, count(*) FROM deliveries
        WHERE id >= $low AND id < $high AND created_at >= $since AND created_at < $until AND ($tenant IS NULL OR tenant_id = $tenant)
        GROUP BY b, status
        """;

    // Nearest-rank percentiles: the value at rank ceil(p * n) of the endpoint's durations in order.
    private const string StatisticsEndpoints =
        """
        WITH r AS (
            SELECT subscription_id, succeeded, duration_us,
                   row_number() OVER (PARTITION BY subscription_id ORDER BY duration_us) AS rn,
                   count(*) OVER (PARTITION BY subscription_id) AS n
            FROM attempts
            WHERE id >= $low AND id < $high AND ($tenant IS NULL OR tenant_id = $tenant))
        SELECT subscription_id, max(n), sum(succeeded),
               max(CASE WHEN rn = max(1, (n * 50 + 99) / 100) THEN duration_us END),
               max(CASE WHEN rn = max(1, (n * 95 + 99) / 100) THEN duration_us END)
        FROM r GROUP BY subscription_id ORDER BY max(n) DESC, subscription_id LIMIT $limit
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

            var endpoints = new List<WebhookEndpointStatistics>();
            using (var command = connection.Command(StatisticsEndpoints)
                .With("$low", WebhookId.LowerBound(WebhookId.AttemptPrefix, q.Since))
                .With("$high", WebhookId.LowerBound(WebhookId.AttemptPrefix, q.Until))
                .With("$tenant", tenant)
                .With("$limit", q.EndpointLimit))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    endpoints.Add(new WebhookEndpointStatistics(
                        reader.GetString(0),
                        reader.GetInt64(1),
                        reader.GetInt64(2),
                        TimeSpan.FromTicks(reader.GetInt64(3) * 10),
                        TimeSpan.FromTicks(reader.GetInt64(4) * 10)));
                }
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

    private static int StatisticsColumn(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Succeeded => 0,
        WebhookDeliveryStatus.Failed => 1,
        _ => 2,
    };
}
