using Npgsql;
using NpgsqlTypes;
using Webhooks.Sender.PostgreSql.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql;

/// <content>Messages.</content>
public sealed partial class PostgreSqlWebhookStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Inside <see cref="PostgreSqlWebhookPublisherExtensions"/>' <c>PublishAsync</c> overloads the insert joins the
    /// application's transaction: the message exists, and other instances are notified, only if that transaction commits.
    /// </remarks>
    public async Task<WebhookEnqueueResult> EnqueueAsync(WebhookMessage message, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(deliveries);
        var count = deliveries.Count;
        var ids = new string[count];
        var subscriptions = new string[count];
        var tenants = new string?[count];
        var eventTypes = new string[count];
        var due = new DateTimeOffset[count];
        var created = new DateTimeOffset[count];
        for (var i = 0; i < count; i++)
        {
            var d = deliveries[i];
            if (d.MessageId != message.Id)
            {
                throw new ArgumentException($"Delivery '{d.Id}' belongs to message '{d.MessageId}', not '{message.Id}'.", nameof(deliveries));
            }

            ids[i] = d.Id;
            subscriptions[i] = d.SubscriptionId;
            tenants[i] = d.TenantId;
            eventTypes[i] = d.EventType;
            due[i] = Utc(d.NextAttemptAt);
            created[i] = Utc(d.CreatedAt);
        }

        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var ambient = PostgreSqlAmbientTransaction.Current;
        await using var command = ambient is null ? _dataSource.CreateCommand(_sql.Enqueue) : ambient.CreateCommand(_sql.Enqueue);
        var p = command.Parameters;
        p.AddWithValue("id", message.Id);
        p.Add(Param("tenant", message.TenantId, NpgsqlDbType.Text));
        p.AddWithValue("event_type", message.EventType);
        p.Add(Param("payload", message.Payload, NpgsqlDbType.Bytea));
        p.Add(Param("key", message.IdempotencyKey, NpgsqlDbType.Text));
        p.Add(Param("trace_parent", message.TraceParent, NpgsqlDbType.Text));
        p.Add(Param("trace_state", message.TraceState, NpgsqlDbType.Text));
        p.AddWithValue("created", Utc(message.CreatedAt));
        p.Add(Param("d_id", ids, NpgsqlDbType.Array | NpgsqlDbType.Text));
        p.Add(Param("d_subscription", subscriptions, NpgsqlDbType.Array | NpgsqlDbType.Text));
        p.Add(Param("d_tenant", tenants, NpgsqlDbType.Array | NpgsqlDbType.Text));
        p.Add(Param("d_event_type", eventTypes, NpgsqlDbType.Array | NpgsqlDbType.Text));
        p.Add(Param("d_due", due, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz));
        p.Add(Param("d_created", created, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz));
        AddChannel(command);

        string? inserted;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            inserted = reader.IsDBNull(0) ? null : reader.GetString(0);
        }

        if (inserted is not null)
        {
            return new WebhookEnqueueResult(inserted, Duplicate: false);
        }

        // The idempotency key was seen before (possibly committed by another instance a moment ago).
        await using var find = ambient is null ? _dataSource.CreateCommand(_sql.FindIdempotent) : ambient.CreateCommand(_sql.FindIdempotent);
        find.Parameters.Add(Param("tenant", message.TenantId, NpgsqlDbType.Text));
        find.Parameters.Add(Param("key", message.IdempotencyKey, NpgsqlDbType.Text));
        var existing = (string?)await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Message '{message.Id}' was neither inserted nor found by its idempotency key.");
        return new WebhookEnqueueResult(existing, Duplicate: true);
    }

    /// <inheritdoc />
    public async Task<WebhookMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        await using var command = await CommandAsync(_sql.GetMessage, cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("id", messageId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? PostgreSqlRows.ReadMessage(reader, 0) : null;
    }

    /// <inheritdoc />
    public Task<WebhookPage<WebhookMessage>> ListMessagesAsync(WebhookMessageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new SqlFilter(query);
        filter.Equal("tenant_id", query.TenantId);
        filter.Equal("event_type", query.EventType);
        filter.Window("created_at", query.Since, query.Until);
        return PageAsync(_sql.Messages, PostgreSqlCommands.MessageColumns, filter, query.Limit, static r => PostgreSqlRows.ReadMessage(r, 0), static m => m.Id, cancellationToken);
    }

    private void AddChannel(NpgsqlCommand command)
    {
        command.Parameters.AddWithValue("channel", NotificationChannel);
        command.Parameters.AddWithValue("schema", Schema);
    }
}
