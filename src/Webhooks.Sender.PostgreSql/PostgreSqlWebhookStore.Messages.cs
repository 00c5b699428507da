using Npgsql;
using NpgsqlTypes;
using Webhooks.Sender.PostgreSql.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql;

/// <content>Messages.</content>
public sealed partial class PostgreSqlWebhookStore : IWebhookStoreGroupEnqueue
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
        return (await EnqueueCoreAsync([new WebhookEnqueueItem(message, deliveries)], nameof(deliveries), cancellationToken).ConfigureAwait(false))[0];
    }

    /// <inheritdoc />
    /// <remarks>
    /// All the messages, their deliveries and one notification are written by one statement (arrays unnested), so the
    /// batch is one round trip and one commit, and all or nothing. Inside <see cref="PostgreSqlWebhookPublisherExtensions"/>'
    /// <c>PublishAsync</c> overloads it joins the application's transaction.
    /// </remarks>
    public async Task<IReadOnlyList<WebhookEnqueueResult>> EnqueueManyAsync(IReadOnlyList<WebhookEnqueueItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Count == 0 ? [] : await EnqueueCoreAsync(items, nameof(items), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gets whether an enqueue may be combined with other callers' (group commit): not inside a publish that joins the
    /// application's transaction, which must hold that caller's message alone.
    /// </summary>
    public bool CanGroupEnqueue => PostgreSqlAmbientTransaction.Current is null;

    private async Task<WebhookEnqueueResult[]> EnqueueCoreAsync(IReadOnlyList<WebhookEnqueueItem> items, string paramName, CancellationToken cancellationToken)
    {
        var batch = EnqueueBatch.Of(items, paramName);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var ambient = PostgreSqlAmbientTransaction.Current;
        await using var command = ambient is null ? _dataSource.CreateCommand(_sql.Enqueue) : ambient.CreateCommand(_sql.Enqueue);
        batch.AddParameters(command.Parameters);
        AddChannel(command);

        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                inserted.Add(reader.GetString(0));
            }
        }

        var results = new WebhookEnqueueResult[items.Count];
        Dictionary<(string, string), string>? keys = null;
        for (var i = 0; i < items.Count; i++)
        {
            var message = items[i].Message;
            if (inserted.Contains(message.Id))
            {
                results[i] = new WebhookEnqueueResult(message.Id, Duplicate: false);
                if (message.IdempotencyKey is { } k)
                {
                    (keys ??= []).TryAdd((message.TenantId ?? string.Empty, k), message.Id);
                }

                continue;
            }

            // The idempotency key was seen before: earlier in this batch, or in a committed message (possibly another
            // instance's, a moment ago).
            var key = (message.TenantId ?? string.Empty, message.IdempotencyKey!);
            if (keys is null || !keys.TryGetValue(key, out var existing))
            {
                await using var find = ambient is null ? _dataSource.CreateCommand(_sql.FindIdempotent) : ambient.CreateCommand(_sql.FindIdempotent);
                find.Parameters.Add(Param("tenant", message.TenantId, NpgsqlDbType.Text));
                find.Parameters.Add(Param("key", message.IdempotencyKey, NpgsqlDbType.Text));
                existing = (string?)await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Message '{message.Id}' was neither inserted nor found by its idempotency key.");
                (keys ??= []).TryAdd(key, existing);
            }

            results[i] = new WebhookEnqueueResult(existing, Duplicate: true);
        }

        return results;
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
