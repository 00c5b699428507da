using Npgsql;
using NpgsqlTypes;
using Webhooks.Core;
using Webhooks.Sender.PostgreSql.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

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
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);

        // One implicit transaction (the batch): the claim runs with sequential scans priced out. Right after a burst of
        // inserts the table's statistics are stale, and the planner then estimated one due row and chose a scan of the
        // whole table plus a sort over the due index (measured: 7 to 10 ms per claim at 10,000 pending instead of about
        // 1 ms). set_config(..., true) lasts until the transaction ends, like SET LOCAL, but SET LOCAL outside an explicit
        // transaction block draws a server warning on every claim.
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(PostgreSqlCommands.SeqScanOff));
        var command = new NpgsqlBatchCommand(_sql.Claim);
        batch.BatchCommands.Add(command);
        AddClaimParameters(command.Parameters, request, now);

        var claims = new List<WebhookDeliveryClaim>(Math.Min(request.MaxCount, 64));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Columns: the delivery (16), its claim group and due time (2), then the message (8).
            claims.Add(new WebhookDeliveryClaim(PostgreSqlRows.ReadDelivery(reader, 0), PostgreSqlRows.ReadMessage(reader, 18)));
        }

        return claims;
    }

    /// <summary>The claim's parameters (see <see cref="ClaimCaps"/>).</summary>
    internal static void AddClaimParameters(NpgsqlParameterCollection p, WebhookClaimRequest request, DateTimeOffset now)
    {
        var caps = ClaimCaps.Of(request);
        p.AddWithValue("now", now);
        p.AddWithValue("expires", now + request.LeaseDuration);
        p.AddWithValue("n", request.MaxCount);
        p.AddWithValue("window", caps.Window);
        p.AddWithValue("per", caps.PerSubscription);
        p.AddWithValue("owner", request.LeaseOwner);
        p.Add(Param("aged", request.RetryAgingThreshold is { } aging ? now - aging : null, NpgsqlDbType.TimestampTz));
        p.Add(Param("excluded", caps.Excluded.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text));
        p.Add(Param("cap_ids", caps.Capacities.Keys.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text));
        p.Add(Param("caps", caps.Capacities.Values.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer));
    }

    /// <inheritdoc />
    public async Task<WebhookCompletionResult> CompleteAsync(WebhookDeliveryCompletion completion, CancellationToken cancellationToken = default)
    {
        WebhookDeliveryCompletion.ThrowIfInvalid(completion, nameof(completion));
        var results = new WebhookCompletionResult[1];
        await CompleteCoreAsync([completion], results, cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookCompletionResult>> CompleteManyAsync(IReadOnlyList<WebhookDeliveryCompletion> completions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        foreach (var completion in completions)
        {
            WebhookDeliveryCompletion.ThrowIfInvalid(completion, nameof(completions));
        }

        var results = new WebhookCompletionResult[completions.Count];
        if (results.Length > 0)
        {
            await CompleteCoreAsync(completions, results, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>
    /// Writes the completions, made storable first (<see cref="StorableText"/>). When the server still refuses one for
    /// its data (SQLSTATE class 22, or 54000 for a value too large), which no retry would change, each is written alone,
    /// and the one refused again is written without what came from the endpoint, with a note: an endpoint's answer must
    /// never keep its outcome from being recorded (the delivery would stay in flight and be sent again at every lease).
    /// </summary>
    private async Task CompleteCoreAsync(IReadOnlyList<WebhookDeliveryCompletion> completions, WebhookCompletionResult[] results, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        completions = Storable(completions);
        try
        {
            await WriteCompletionsAsync(completions, results, 0, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (IsRefusedData(ex))
        {
            for (var i = 0; i < completions.Count; i++)
            {
                var completion = completions[i];
                try
                {
                    await WriteCompletionsAsync([completion], results, i, cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException refused) when (IsRefusedData(refused))
                {
                    Log.OutcomeDataRefused(_logger, refused, completion.DeliveryId, refused.SqlState);
                    await WriteCompletionsAsync([StorableText.WithoutResponseData(completion, "SQLSTATE " + refused.SqlState)], results, i, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static bool IsRefusedData(PostgresException ex) => ex.SqlState.StartsWith("22", StringComparison.Ordinal) || ex.SqlState == PostgresErrorCodes.ProgramLimitExceeded;

    private static IReadOnlyList<WebhookDeliveryCompletion> Storable(IReadOnlyList<WebhookDeliveryCompletion> completions)
    {
        WebhookDeliveryCompletion[]? copy = null;
        for (var i = 0; i < completions.Count; i++)
        {
            var storable = StorableText.Sanitize(completions[i]);
            if (!ReferenceEquals(storable, completions[i]))
            {
                copy ??= [.. completions];
                copy[i] = storable;
            }
        }

        return copy ?? completions;
    }

    /// <summary>
    /// Writes the completions in one round trip: one statement per run of distinct deliveries, all in one batch (one
    /// implicit transaction). A statement updates a row at most once, so a delivery seen again starts the next
    /// statement, which sees the earlier one's effect, as sequential calls would. A run of one takes the plain
    /// statement, which PostgreSQL plans and runs in about half the time of the unnest one. Results go to
    /// <paramref name="results"/> from <paramref name="offset"/>.
    /// </summary>
    private async Task WriteCompletionsAsync(IReadOnlyList<WebhookDeliveryCompletion> completions, WebhookCompletionResult[] results, int offset, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var batch = _dataSource.CreateBatch();

        // As in ClaimAsync: with stale statistics after a burst of publishes, the planner may otherwise scan the whole
        // queue (the backlog) to find the leased rows of the completions.
        batch.BatchCommands.Add(new NpgsqlBatchCommand(PostgreSqlCommands.SeqScanOff));
        var run = new HashSet<string>(StringComparer.Ordinal);
        var start = 0;
        for (var i = 0; i < completions.Count; i++)
        {
            if (!run.Add(completions[i].DeliveryId))
            {
                batch.BatchCommands.Add(CompleteCommand(completions, start, i - start, now));
                run.Clear();
                run.Add(completions[i].DeliveryId);
                start = i;
            }
        }

        batch.BatchCommands.Add(CompleteCommand(completions, start, completions.Count - start, now));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var index = 0;
        do
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var leaseId = reader.IsDBNull(2) ? null : reader.GetString(2);
                results[offset + index] = reader.GetBoolean(0) ? WebhookCompletionResult.Completed
                    : !reader.GetBoolean(1) ? WebhookCompletionResult.NotFound
                    : leaseId == completions[index].LeaseId ? WebhookCompletionResult.AlreadyCompleted
                    : WebhookCompletionResult.LeaseLost;
                index++;
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
    }

    private NpgsqlBatchCommand CompleteCommand(IReadOnlyList<WebhookDeliveryCompletion> completions, int start, int count, DateTimeOffset now)
    {
        var command = new NpgsqlBatchCommand(count == 1 ? _sql.Complete : _sql.CompleteMany);
        var p = command.Parameters;
        p.Add(Column(completions, start, count, "id", NpgsqlDbType.Text, static c => c.DeliveryId));
        p.Add(Column(completions, start, count, "lease", NpgsqlDbType.Text, static c => c.LeaseId));
        p.Add(Column(completions, start, count, "status", NpgsqlDbType.Smallint, static c => (short)c.Status));
        p.Add(Column(completions, start, count, "next", NpgsqlDbType.TimestampTz, static c => c.NextAttemptAt?.ToUniversalTime()));
        p.Add(Column(completions, start, count, "reason", NpgsqlDbType.Text, static c => c.FailureReason));
        p.Add(Column(completions, start, count, "has_attempt", NpgsqlDbType.Boolean, static c => c.Attempt is not null));
        p.Add(Column(completions, start, count, "a_id", NpgsqlDbType.Text, static c => c.Attempt?.Id));
        p.Add(Column(completions, start, count, "a_message", NpgsqlDbType.Text, static c => c.Attempt?.MessageId));
        p.Add(Column(completions, start, count, "a_subscription", NpgsqlDbType.Text, static c => c.Attempt?.SubscriptionId));
        p.Add(Column(completions, start, count, "a_tenant", NpgsqlDbType.Text, static c => c.Attempt?.TenantId));
        p.Add(Column(completions, start, count, "a_number", NpgsqlDbType.Integer, static c => c.Attempt?.AttemptNumber));
        p.Add(Column(completions, start, count, "a_url", NpgsqlDbType.Text, static c => c.Attempt?.Url));
        p.Add(Column(completions, start, count, "a_started", NpgsqlDbType.TimestampTz, static c => c.Attempt?.StartedAt.ToUniversalTime()));
        p.Add(Column(completions, start, count, "a_duration", NpgsqlDbType.Interval, static c => c.Attempt?.Duration));
        p.Add(Column(completions, start, count, "a_succeeded", NpgsqlDbType.Boolean, static c => c.Attempt?.Succeeded));
        p.Add(Column(completions, start, count, "a_error", NpgsqlDbType.Smallint, static c => (short?)c.Attempt?.Error));
        p.Add(Column(completions, start, count, "a_error_message", NpgsqlDbType.Text, static c => c.Attempt?.ErrorMessage));
        p.Add(Column(completions, start, count, "a_status_code", NpgsqlDbType.Integer, static c => c.Attempt?.StatusCode));
        p.Add(Column(completions, start, count, "a_headers", NpgsqlDbType.Jsonb, static c => c.Attempt is { } a ? PostgreSqlRows.WriteDictionary(a.ResponseHeaders) : null));
        p.Add(Column(completions, start, count, "a_excerpt", NpgsqlDbType.Text, static c => c.Attempt?.ResponseExcerpt));
        p.Add(Column(completions, start, count, "a_remote", NpgsqlDbType.Text, static c => c.Attempt?.RemoteAddress));
        p.AddWithValue("now", now);
        return command;
    }

    /// <summary>
    /// A field of the completions of the run: a parameter of <see cref="PostgreSqlCommands.Complete"/> for one, else an
    /// array parameter of <see cref="PostgreSqlCommands.CompleteMany"/>.
    /// </summary>
    private static NpgsqlParameter Column<T>(IReadOnlyList<WebhookDeliveryCompletion> completions, int start, int count, string name, NpgsqlDbType type, Func<WebhookDeliveryCompletion, T> field)
    {
        if (count == 1)
        {
            return Param(name, field(completions[start]), type);
        }

        var values = new T[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = field(completions[start + i]);
        }

        return new NpgsqlParameter<T[]>(name, NpgsqlDbType.Array | type) { TypedValue = values };
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
    public async Task<int> ReleaseManyAsync(IReadOnlyList<WebhookDeliveryRelease> releases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(releases);
        var ids = new string[releases.Count];
        var leases = new string[releases.Count];
        var next = new DateTimeOffset?[releases.Count];
        for (var i = 0; i < releases.Count; i++)
        {
            var release = releases[i];
            ArgumentNullException.ThrowIfNull(release.DeliveryId, nameof(releases));
            ArgumentNullException.ThrowIfNull(release.LeaseId, nameof(releases));
            (ids[i], leases[i], next[i]) = (release.DeliveryId, release.LeaseId, release.NextAttemptAt?.ToUniversalTime());
        }

        if (ids.Length == 0)
        {
            return 0;
        }

        await using var command = await CommandAsync(_sql.ReleaseMany, cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string[]>("id", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = ids });
        command.Parameters.Add(new NpgsqlParameter<string[]>("lease", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = leases });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]>("next", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = next });
        AddChannel(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (int)reader.GetInt64(0);
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
        return PageAsync(_sql.DeliveryState, PostgreSqlCommands.DeliveryColumns, filter, query.Limit, static r => PostgreSqlRows.ReadDelivery(r, 0), static d => d.Id, cancellationToken);
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
