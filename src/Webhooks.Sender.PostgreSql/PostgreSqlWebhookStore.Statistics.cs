using Npgsql;
using NpgsqlTypes;
using Webhooks.Core;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql;

/// <content>
/// Statistics for dashboards, in one round trip. The backlog is counted and the delivery due first found on the
/// partial due and lease indexes; the window's deliveries and attempts are primary key ranges (ids are time-sortable),
/// so the cost follows the window's volume and the backlog, not the history.
/// </content>
public sealed partial class PostgreSqlWebhookStore : IWebhookStoreStatistics
{
    /// <inheritdoc />
    public async Task<WebhookDeliveryStatistics> GetStatisticsAsync(WebhookStatisticsQuery query, CancellationToken cancellationToken = default)
    {
        WebhookStatisticsQuery.ThrowIfInvalid(query);
        await using var batch = await StatisticsBatchAsync(query, cancellationToken).ConfigureAwait(false);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var pending = reader.GetInt64(0);
        var inFlight = reader.GetInt64(1);

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        string? oldestId = null;
        DateTimeOffset? oldestAt = null;
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            oldestId = reader.GetString(0);
            oldestAt = reader.GetFieldValue<DateTimeOffset>(1);
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var counts = new long[query.BucketCount, 3];
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var bucket = reader.GetInt64(0);
            if (bucket >= 0 && bucket < query.BucketCount)
            {
                var column = (WebhookDeliveryStatus)reader.GetInt16(1) switch
                {
                    WebhookDeliveryStatus.Succeeded => 0,
                    WebhookDeliveryStatus.Failed => 1,
                    _ => 2,
                };
                counts[bucket, column] += reader.GetInt64(2);
            }
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var endpoints = new List<WebhookEndpointStatistics>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            endpoints.Add(new WebhookEndpointStatistics(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetTimeSpan(3), reader.GetTimeSpan(4)));
        }

        var buckets = new WebhookStatisticsBucket[query.BucketCount];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new WebhookStatisticsBucket(query.Since + (query.BucketSize * i), counts[i, 0], counts[i, 1], counts[i, 2]);
        }

        return new WebhookDeliveryStatistics
        {
            Pending = pending,
            InFlight = inFlight,
            OldestDueDeliveryId = oldestId,
            OldestDueAt = oldestAt,
            Buckets = buckets,
            Endpoints = endpoints,
        };
    }

    private async Task<NpgsqlBatch> StatisticsBatchAsync(WebhookStatisticsQuery query, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var d = _sql.Deliveries;
        var a = _sql.Attempts;
        const string Tenant = "(@tenant::text IS NULL OR tenant_id = @tenant::text)";
        var batch = _dataSource.CreateBatch();

        // One count per partial index of the queue (pending first attempts, pending retries, leased), as
        // CountUnfinishedAsync does.
        var q = _sql.Queue;
        Add(batch, $"""
            SELECT (SELECT count(*) FROM {q} WHERE status = 0 AND attempt_count = 0 AND {Tenant})
                 + (SELECT count(*) FROM {q} WHERE status = 0 AND attempt_count > 0 AND {Tenant}),
                   (SELECT count(*) FROM {q} WHERE status = 1 AND {Tenant})
            """, query);
        Add(batch, $"""
            SELECT id, due FROM (
                (SELECT delivery_id AS id, next_attempt_at AS due FROM {q} WHERE status = 0 AND attempt_count = 0 AND {Tenant} ORDER BY next_attempt_at, delivery_id LIMIT 1)
                UNION ALL
                (SELECT delivery_id, next_attempt_at FROM {q} WHERE status = 0 AND attempt_count > 0 AND {Tenant} ORDER BY next_attempt_at, delivery_id LIMIT 1)
                UNION ALL
                (SELECT delivery_id, lease_expires_at FROM {q} WHERE status = 1 AND {Tenant} ORDER BY lease_expires_at, delivery_id LIMIT 1)) due
            ORDER BY due, id LIMIT 1
            """, query);
        Add(batch, $"""
            SELECT floor(extract(epoch FROM created_at - @since) * 1000 / @bucket_ms)::bigint AS b, status, count(*)
            FROM {d}
            WHERE id >= @d_low AND id < @d_high AND created_at >= @since AND created_at < @until AND {Tenant}
            GROUP BY 1, 2
            """, query);
        // percentile_disc is the nearest rank: the first value whose cumulative share reaches p.
        Add(batch, $"""
            SELECT subscription_id, count(*), count(*) FILTER (WHERE succeeded),
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY duration),
                   percentile_disc(0.95) WITHIN GROUP (ORDER BY duration)
            FROM {a}
            WHERE id >= @a_low AND id < @a_high AND {Tenant}
            GROUP BY subscription_id
            ORDER BY 2 DESC, 1
            LIMIT @limit
            """, query);
        return batch;
    }

    private static void Add(NpgsqlBatch batch, string sql, WebhookStatisticsQuery query)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        var p = command.Parameters;
        p.Add(new NpgsqlParameter("tenant", NpgsqlDbType.Text) { Value = (object?)query.TenantId ?? DBNull.Value });
        if (sql.Contains("@since", StringComparison.Ordinal))
        {
            p.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = query.Since.ToUniversalTime() });
            p.Add(new NpgsqlParameter("until", NpgsqlDbType.TimestampTz) { Value = query.Until.ToUniversalTime() });
            p.Add(new NpgsqlParameter("bucket_ms", NpgsqlDbType.Double) { Value = query.BucketSize.TotalMilliseconds });
            p.Add(new NpgsqlParameter("d_low", NpgsqlDbType.Text) { Value = WebhookId.LowerBound(WebhookId.DeliveryPrefix, query.Since) });
            p.Add(new NpgsqlParameter("d_high", NpgsqlDbType.Text) { Value = WebhookId.LowerBound(WebhookId.DeliveryPrefix, query.Until) });
        }

        if (sql.Contains("@a_low", StringComparison.Ordinal))
        {
            p.Add(new NpgsqlParameter("a_low", NpgsqlDbType.Text) { Value = WebhookId.LowerBound(WebhookId.AttemptPrefix, query.Since) });
            p.Add(new NpgsqlParameter("a_high", NpgsqlDbType.Text) { Value = WebhookId.LowerBound(WebhookId.AttemptPrefix, query.Until) });
            p.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = query.EndpointLimit });
        }

        batch.BatchCommands.Add(command);
    }
}
