using Npgsql;
using NpgsqlTypes;
using Webhooks.Core;
using Webhooks.Sender.PostgreSql.Internal;
using Webhooks.Sender.Storage;

namespace Webhooks.Sender.PostgreSql;

/// <content>Claims, completions, the delivery log, redelivery.</content>
public sealed partial class PostgreSqlWebhookStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookDeliveryClaim>> ClaimAsync(WebhookClaimRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.MaxCount);
        var now = Now();
        await using var command = await CommandAsync(_sql.Claim, cancellationToken).ConfigureAwait(false);
        var p = command.Parameters;
        p.AddWithValue("now", now);
        p.AddWithValue("expires", now + request.LeaseDuration);
        p.AddWithValue("n", request.MaxCount);
        p.AddWithValue("owner", request.LeaseOwner);
        p.Add(Param("excluded", request.ExcludedSubscriptionIds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text));

        var claims = new List<WebhookDeliveryClaim>(Math.Min(request.MaxCount, 64));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Columns: the delivery (16), its claim group and due time (2), then the message (8).
            claims.Add(new WebhookDeliveryClaim(PostgreSqlRows.ReadDelivery(reader, 0), PostgreSqlRows.ReadMessage(reader, 18)));
        }

        return claims;
    }

    /// <inheritdoc />
    public async Task<WebhookCompletionResult> CompleteAsync(WebhookDeliveryCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        if (completion.Status == WebhookDeliveryStatus.InFlight)
        {
            throw new ArgumentException("A completion cannot leave the delivery in flight.", nameof(completion));
        }

        var a = completion.Attempt;
        await using var command = await CommandAsync(_sql.Complete, cancellationToken).ConfigureAwait(false);
        var p = command.Parameters;
        p.AddWithValue("id", completion.DeliveryId);
        p.AddWithValue("lease", completion.LeaseId);
        p.Add(Param("status", (short)completion.Status, NpgsqlDbType.Smallint));
        p.Add(Param("next", completion.NextAttemptAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
        p.AddWithValue("now", Now());
        p.Add(Param("reason", completion.FailureReason, NpgsqlDbType.Text));
        p.AddWithValue("has_attempt", a is not null);
        p.Add(Param("a_id", a?.Id ?? string.Empty, NpgsqlDbType.Text));
        p.Add(Param("a_message", a?.MessageId ?? string.Empty, NpgsqlDbType.Text));
        p.Add(Param("a_subscription", a?.SubscriptionId ?? string.Empty, NpgsqlDbType.Text));
        p.Add(Param("a_tenant", a?.TenantId, NpgsqlDbType.Text));
        p.Add(Param("a_number", a?.AttemptNumber ?? 0, NpgsqlDbType.Integer));
        p.Add(Param("a_url", a?.Url ?? string.Empty, NpgsqlDbType.Text));
        p.Add(Param("a_started", a?.StartedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz));
        p.Add(Param("a_duration", a?.Duration ?? TimeSpan.Zero, NpgsqlDbType.Interval));
        p.Add(Param("a_succeeded", a?.Succeeded ?? false, NpgsqlDbType.Boolean));
        p.Add(Param("a_error", (short)(a?.Error ?? WebhookAttemptError.None), NpgsqlDbType.Smallint));
        p.Add(Param("a_error_message", a?.ErrorMessage, NpgsqlDbType.Text));
        p.Add(Param("a_status_code", a?.StatusCode, NpgsqlDbType.Integer));
        p.Add(Param("a_headers", PostgreSqlRows.WriteDictionary(a?.ResponseHeaders), NpgsqlDbType.Jsonb));
        p.Add(Param("a_excerpt", a?.ResponseExcerpt, NpgsqlDbType.Text));
        p.Add(Param("a_remote", a?.RemoteAddress, NpgsqlDbType.Text));

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (reader.GetInt64(0) > 0)
        {
            return WebhookCompletionResult.Completed;
        }

        if (reader.IsDBNull(1))
        {
            return WebhookCompletionResult.NotFound;
        }

        return !reader.IsDBNull(2) && reader.GetString(2) == completion.LeaseId
            ? WebhookCompletionResult.AlreadyCompleted
            : WebhookCompletionResult.LeaseLost;
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseAsync(string deliveryId, string leaseId, DateTimeOffset? nextAttemptAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        ArgumentNullException.ThrowIfNull(leaseId);
        await using var command = await CommandAsync(_sql.Release, cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("id", deliveryId);
        command.Parameters.AddWithValue("lease", leaseId);
        command.Parameters.Add(Param("next", nextAttemptAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
        AddChannel(command);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetNextDueTimeAsync(CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync(_sql.NextDueTime, cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0);
    }

    /// <inheritdoc />
    public async Task<long> CountUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync(_sql.CountUnfinished, cancellationToken).ConfigureAwait(false);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        await using var command = await CommandAsync(_sql.GetDelivery, cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("id", deliveryId);
        return await ReadSingleDeliveryAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<WebhookPage<WebhookDelivery>> ListDeliveriesAsync(WebhookDeliveryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new SqlFilter(query);
        filter.Equal("tenant_id", query.TenantId);
        filter.Equal("subscription_id", query.SubscriptionId);
        filter.Equal("message_id", query.MessageId);
        if (query.Status is { } status)
        {
            filter.Add("status = @status", Param("status", (short)status, NpgsqlDbType.Smallint));
        }

        filter.Window("created_at", query.Since, query.Until);
        return PageAsync(_sql.Deliveries, PostgreSqlCommands.DeliveryColumns, filter, query.Limit, static r => PostgreSqlRows.ReadDelivery(r, 0), static d => d.Id, cancellationToken);
    }

    /// <inheritdoc />
    public Task<WebhookPage<WebhookAttempt>> ListAttemptsAsync(WebhookAttemptQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new SqlFilter(query);
        filter.Equal("tenant_id", query.TenantId);
        filter.Equal("delivery_id", query.DeliveryId);
        filter.Equal("message_id", query.MessageId);
        filter.Equal("subscription_id", query.SubscriptionId);
        return PageAsync(_sql.Attempts, PostgreSqlCommands.AttemptColumns, filter, query.Limit, static r => PostgreSqlRows.ReadAttempt(r), static a => a.Id, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<WebhookDelivery?> RedeliverAsync(string messageId, string subscriptionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentNullException.ThrowIfNull(subscriptionId);
        var now = Now();

        // Each statement is atomic on its own; run in this order, a concurrent redeliver of the same pair cannot create two.
        await using (var reset = await CommandAsync(_sql.RedeliverReset, cancellationToken).ConfigureAwait(false))
        {
            AddPair(reset, messageId, subscriptionId, now);
            if (await ReadSingleDeliveryAsync(reset, cancellationToken).ConfigureAwait(false) is { } d)
            {
                return d;
            }
        }

        await using (var insert = _dataSource.CreateCommand(_sql.RedeliverInsert))
        {
            AddPair(insert, messageId, subscriptionId, now);
            insert.Parameters.AddWithValue("id", WebhookId.New(WebhookId.DeliveryPrefix, _time));
            if (await ReadSingleDeliveryAsync(insert, cancellationToken).ConfigureAwait(false) is { } d)
            {
                return d;
            }
        }

        // Unfinished already (left as it is), or no such message.
        await using var existing = _dataSource.CreateCommand(_sql.RedeliverExisting);
        existing.Parameters.AddWithValue("message", messageId);
        existing.Parameters.AddWithValue("subscription", subscriptionId);
        return await ReadSingleDeliveryAsync(existing, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> RecoverAsync(string subscriptionId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        await using var command = await CommandAsync(_sql.Recover, cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("subscription", subscriptionId);
        command.Parameters.AddWithValue("since", Utc(since));
        command.Parameters.AddWithValue("now", Now());
        AddChannel(command);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private void AddPair(NpgsqlCommand command, string messageId, string subscriptionId, DateTimeOffset now)
    {
        command.Parameters.AddWithValue("message", messageId);
        command.Parameters.AddWithValue("subscription", subscriptionId);
        command.Parameters.AddWithValue("now", now);
        AddChannel(command);
    }

    private static async Task<WebhookDelivery?> ReadSingleDeliveryAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? PostgreSqlRows.ReadDelivery(reader, 0) : null;
    }
}
