using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Sender.Storage;

namespace Webhooks.Sender.PostgreSql.Internal;

/// <summary>
/// The messages and deliveries of an enqueue as column arrays, the parameters of <see cref="PostgreSqlCommands.Enqueue"/>
/// (unnested by the server: one statement, one round trip, however many messages).
/// </summary>
internal sealed class EnqueueBatch
{
    private readonly List<string> _messageIds = [];
    private readonly List<string?> _messageTenants = [];
    private readonly List<string> _messageEventTypes = [];
    private readonly List<byte[]> _payloads = [];
    private readonly List<string?> _keys = [];
    private readonly List<string?> _traceParents = [];
    private readonly List<string?> _traceStates = [];
    private readonly List<DateTimeOffset> _messageCreated = [];
    private readonly List<string> _deliveryIds = [];
    private readonly List<string> _deliveryMessages = [];
    private readonly List<string> _subscriptions = [];
    private readonly List<string?> _deliveryTenants = [];
    private readonly List<string> _deliveryEventTypes = [];
    private readonly List<DateTimeOffset> _due = [];
    private readonly List<DateTimeOffset> _deliveryCreated = [];

    /// <summary>Checks and collects the items.</summary>
    /// <exception cref="ArgumentException">A delivery names another message than the one it is enqueued with.</exception>
    public static EnqueueBatch Of(IReadOnlyList<WebhookEnqueueItem> items, string paramName)
    {
        var batch = new EnqueueBatch();
        for (var i = 0; i < items.Count; i++)
        {
            var (message, deliveries) = items[i];
            ArgumentNullException.ThrowIfNull(message, paramName);
            ArgumentNullException.ThrowIfNull(deliveries, paramName);
            batch._messageIds.Add(message.Id);
            batch._messageTenants.Add(message.TenantId);
            batch._messageEventTypes.Add(message.EventType);
            batch._payloads.Add(Bytes(message.Payload));
            batch._keys.Add(message.IdempotencyKey);
            batch._traceParents.Add(message.TraceParent);
            batch._traceStates.Add(message.TraceState);
            batch._messageCreated.Add(message.CreatedAt.ToUniversalTime());
            foreach (var d in deliveries)
            {
                if (d.MessageId != message.Id)
                {
                    throw new ArgumentException($"Delivery '{d.Id}' belongs to message '{d.MessageId}', not '{message.Id}'.", paramName);
                }

                batch._deliveryIds.Add(d.Id);
                batch._deliveryMessages.Add(d.MessageId);
                batch._subscriptions.Add(d.SubscriptionId);
                batch._deliveryTenants.Add(d.TenantId);
                batch._deliveryEventTypes.Add(d.EventType);
                batch._due.Add(d.NextAttemptAt.ToUniversalTime());
                batch._deliveryCreated.Add(d.CreatedAt.ToUniversalTime());
            }
        }

        return batch;
    }

    public void AddParameters(NpgsqlParameterCollection p)
    {
        p.Add(Array("m_id", _messageIds, NpgsqlDbType.Text));
        p.Add(Array("m_tenant", _messageTenants, NpgsqlDbType.Text));
        p.Add(Array("m_event_type", _messageEventTypes, NpgsqlDbType.Text));
        p.Add(Array("m_payload", _payloads, NpgsqlDbType.Bytea));
        p.Add(Array("m_key", _keys, NpgsqlDbType.Text));
        p.Add(Array("m_trace_parent", _traceParents, NpgsqlDbType.Text));
        p.Add(Array("m_trace_state", _traceStates, NpgsqlDbType.Text));
        p.Add(Array("m_created", _messageCreated, NpgsqlDbType.TimestampTz));
        p.Add(Array("d_id", _deliveryIds, NpgsqlDbType.Text));
        p.Add(Array("d_message", _deliveryMessages, NpgsqlDbType.Text));
        p.Add(Array("d_subscription", _subscriptions, NpgsqlDbType.Text));
        p.Add(Array("d_tenant", _deliveryTenants, NpgsqlDbType.Text));
        p.Add(Array("d_event_type", _deliveryEventTypes, NpgsqlDbType.Text));
        p.Add(Array("d_due", _due, NpgsqlDbType.TimestampTz));
        p.Add(Array("d_created", _deliveryCreated, NpgsqlDbType.TimestampTz));
    }

    private static NpgsqlParameter<List<T>> Array<T>(string name, List<T> values, NpgsqlDbType type) =>
        new(name, NpgsqlDbType.Array | type) { TypedValue = values };

    // The payload as it is when it is a whole array (the usual case), else a copy.
    private static byte[] Bytes(ReadOnlyMemory<byte> payload) =>
        MemoryMarshal.TryGetArray(payload, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : payload.ToArray();
}
