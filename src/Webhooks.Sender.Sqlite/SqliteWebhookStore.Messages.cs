using Microsoft.Data.Sqlite;
using Webhooks.Sender.Sqlite.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Sqlite;

public sealed partial class SqliteWebhookStore
{
    private const string MessageColumns = "id, tenant_id, event_type, payload, idempotency_key, trace_parent, trace_state, created_at";

    /// <inheritdoc />
    /// <remarks>Always <see langword="true"/>: the store has no ambient transaction of the caller's to respect.</remarks>
    public bool CanGroupEnqueue => true;

    /// <inheritdoc />
    public Task<WebhookEnqueueResult> EnqueueAsync(WebhookMessage message, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        CheckEnqueue(message, deliveries, nameof(deliveries));
        return WriteAsync((message, deliveries), static (connection, transaction, state) =>
            Enqueue(connection, transaction, state.message, state.deliveries), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One <c>BEGIN IMMEDIATE</c> transaction (one commit) for all the messages, the prepared statements re-bound per
    /// row. A message that conflicts with a stored one (or with an earlier one of the batch) rolls the whole batch back.
    /// </remarks>
    public Task<IReadOnlyList<WebhookEnqueueResult>> EnqueueManyAsync(IReadOnlyList<WebhookEnqueueItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            CheckEnqueue(item.Message, item.Deliveries, nameof(items));
        }

        if (items.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<WebhookEnqueueResult>>([]);
        }

        return WriteAsync(items, static (connection, transaction, items) =>
        {
            var results = new WebhookEnqueueResult[items.Count];
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = Enqueue(connection, transaction, items[i].Message, items[i].Deliveries);
            }

            return (IReadOnlyList<WebhookEnqueueResult>)results;
        }, cancellationToken);
    }

    private static void CheckEnqueue(WebhookMessage message, IReadOnlyList<WebhookDelivery> deliveries, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(message, parameterName);
        ArgumentNullException.ThrowIfNull(deliveries, parameterName);
        foreach (var d in deliveries)
        {
            if (d.MessageId != message.Id)
            {
                throw new ArgumentException($"Delivery '{d.Id}' belongs to message '{d.MessageId}', not '{message.Id}'.", parameterName);
            }
        }
    }

    /// <summary>Inserts one message with its deliveries (each a wide row and a queue row) in the caller's write transaction.</summary>
    private static WebhookEnqueueResult Enqueue(SqliteConnection connection, SqliteTransaction transaction, WebhookMessage m, IReadOnlyList<WebhookDelivery> ds)
    {
        if (m.IdempotencyKey is { } key && FindByIdempotencyKey(connection, transaction, m.TenantId, key) is { } existing)
        {
            return new WebhookEnqueueResult(existing, Duplicate: true);
        }

        try
        {
            connection.Statement($"INSERT INTO messages ({MessageColumns}) VALUES ($id, $tenant, $eventType, $payload, $key, $traceParent, $traceState, $createdAt)", transaction)
                .With("$id", m.Id)
                .With("$tenant", m.TenantId)
                .With("$eventType", m.EventType)
                .WithBlob("$payload", m.Payload)
                .With("$key", m.IdempotencyKey)
                .With("$traceParent", m.TraceParent)
                .With("$traceState", m.TraceState)
                .With("$createdAt", m.CreatedAt)
                .ExecuteNonQuery();

            if (ds.Count > 0)
            {
                // Prepared statements, re-bound per delivery.
                var delivery = connection.Statement(
                    $"INSERT INTO deliveries ({InsertDeliveryColumns}) VALUES ($id, $messageId, $subscriptionId, $tenant, $eventType, 0, $attemptCount, $nextAttemptAt, $createdAt)",
                    transaction);
                delivery.With("$messageId", m.Id).Declare("$id", "$subscriptionId", "$tenant", "$eventType", "$attemptCount", "$nextAttemptAt", "$createdAt");
                var queue = connection.Statement(
                    "INSERT INTO delivery_queue (delivery_id, subscription_id, tenant_id, attempt_count, next_attempt_at, in_flight) VALUES ($id, $subscriptionId, $tenant, $attemptCount, $nextAttemptAt, 0)",
                    transaction);
                queue.Declare("$id", "$subscriptionId", "$tenant", "$attemptCount", "$nextAttemptAt");
                foreach (var d in ds)
                {
                    foreach (var command in (ReadOnlySpan<SqliteCommand>)[delivery, queue])
                    {
                        command.Set("$id", d.Id);
                        command.Set("$subscriptionId", d.SubscriptionId);
                        command.Set("$tenant", d.TenantId);
                        command.Set("$attemptCount", d.AttemptCount);
                        command.Set("$nextAttemptAt", d.NextAttemptAt);
                    }

                    delivery.Set("$eventType", d.EventType);
                    delivery.Set("$createdAt", d.CreatedAt);
                    delivery.ExecuteNonQuery();
                    queue.ExecuteNonQuery();
                }
            }
        }
        catch (SqliteException ex) when (ex.IsConstraintViolation())
        {
            // Nothing was committed: the transaction rolls back when disposed.
            throw new InvalidOperationException($"Message '{m.Id}' or one of its deliveries duplicates an existing message or delivery; nothing was stored.", ex);
        }

        return new WebhookEnqueueResult(m.Id, Duplicate: false);
    }

    /// <inheritdoc />
    public Task<WebhookMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken = default) =>
        GetByIdAsync("messages", MessageColumns, messageId, ReadMessage, cancellationToken);

    /// <inheritdoc />
    public Task<WebhookPage<WebhookMessage>> ListMessagesAsync(WebhookMessageQuery query, CancellationToken cancellationToken = default) =>
        ListAsync(query, "messages", MessageColumns, static (where, q) =>
        {
            where.Add(q.TenantId, "tenant_id = $tenant", "$tenant");
            where.Add(q.EventType, "event_type = $eventType", "$eventType");
            where.Add(q.Since, "created_at >= $since", "$since");
            where.Add(q.Until, "created_at < $until", "$until");
        }, ReadMessage, static m => m.Id, cancellationToken);

    private static string? FindByIdempotencyKey(SqliteConnection connection, SqliteTransaction transaction, string? tenantId, string key)
    {
        // The same expression as ux_messages_idempotency, so the lookup is one index probe.
        var command = connection.Statement(
            "SELECT id FROM messages WHERE idempotency_key = $key AND ifnull(tenant_id, x'00') = ifnull($tenant, x'00')",
            transaction);
        command.With("$key", key).With("$tenant", tenantId);
        return command.ExecuteScalar() as string;
    }

    private static WebhookMessage ReadMessage(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        TenantId = r.GetStringOrNull(1),
        EventType = r.GetString(2),
        Payload = r.GetFieldValue<byte[]>(3),
        IdempotencyKey = r.GetStringOrNull(4),
        TraceParent = r.GetStringOrNull(5),
        TraceState = r.GetStringOrNull(6),
        CreatedAt = r.GetTime(7),
    };
}
