using Npgsql;
using NpgsqlTypes;
using Webhooks.Core.Events;
using Webhooks.Core;
using Webhooks.Sender.PostgreSql.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql;

/// <content>Subscriptions.</content>
public sealed partial class PostgreSqlWebhookStore
{
    // A page of subscriptions filtered by event type is read in chunks of this many rows (the filter runs in .NET).
    private const int FilterChunk = 256;

    /// <inheritdoc />
    public async Task CreateSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        await using var command = await CommandAsync(_sql.InsertSubscription, cancellationToken).ConfigureAwait(false);
        AddSubscription(command, subscription);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException($"A subscription with id '{subscription.Id}' already exists.", ex);
        }
    }

    /// <inheritdoc />
    public async Task<WebhookSubscription?> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        await using var command = await CommandAsync(_sql.GetSubscription, cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("id", subscriptionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? PostgreSqlRows.ReadSubscription(reader) : null;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        await using var command = await CommandAsync(_sql.UpdateSubscription, cancellationToken).ConfigureAwait(false);
        AddSubscription(command, subscription);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        await using var command = await CommandAsync(_sql.DeleteSubscription, cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("id", subscriptionId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<WebhookPage<WebhookSubscription>> ListSubscriptionsAsync(WebhookSubscriptionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new SqlFilter(query);
        filter.Equal("tenant_id", query.TenantId);
        if (query.Enabled is { } enabled)
        {
            filter.Add("enabled = @enabled", Param("enabled", enabled, NpgsqlDbType.Boolean));
        }

        if (query.EventType is null)
        {
            return await PageAsync(_sql.Subscriptions, PostgreSqlCommands.SubscriptionColumns, filter, query.Limit, static r => PostgreSqlRows.ReadSubscription(r), static s => s.Id, cancellationToken).ConfigureAwait(false);
        }

        // Event type filters are patterns; read in key order and filter here, chunk by chunk, until the page is full.
        var items = new List<WebhookSubscription>();
        var after = query.After;
        while (true)
        {
            var chunkFilter = filter.WithAfter(after);
            var chunk = await PageAsync(_sql.Subscriptions, PostgreSqlCommands.SubscriptionColumns, chunkFilter, FilterChunk, static r => PostgreSqlRows.ReadSubscription(r), static s => s.Id, cancellationToken).ConfigureAwait(false);
            foreach (var s in chunk.Items)
            {
                if (!WebhookEventFilter.MatchesAny(s.EventTypes, query.EventType))
                {
                    continue;
                }

                if (items.Count == query.Limit)
                {
                    return new WebhookPage<WebhookSubscription>(items, items[^1].Id);
                }

                items.Add(s);
            }

            if (chunk.ContinuationToken is null)
            {
                return new WebhookPage<WebhookSubscription>(items, null);
            }

            after = chunk.ContinuationToken;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookSubscription>> FindSubscriptionsAsync(string? tenantId, string eventType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        await using var command = await CommandAsync(tenantId is null ? _sql.FindSubscriptionsWithoutTenant : _sql.FindSubscriptionsOfTenant, cancellationToken).ConfigureAwait(false);
        if (tenantId is not null)
        {
            command.Parameters.AddWithValue("tenant", tenantId);
        }

        var found = new List<WebhookSubscription>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var s = PostgreSqlRows.ReadSubscription(reader);
            if (WebhookEventFilter.MatchesAny(s.EventTypes, eventType))
            {
                found.Add(s);
            }
        }

        return found;
    }

    private static void AddSubscription(NpgsqlCommand command, WebhookSubscription s)
    {
        var p = command.Parameters;
        p.AddWithValue("id", s.Id);
        p.Add(Param("tenant", s.TenantId, NpgsqlDbType.Text));
        p.AddWithValue("url", s.Url.OriginalString);
        p.Add(Param("event_types", s.EventTypes.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text));
        p.Add(Param("secrets", PostgreSqlRows.WriteSecrets(s.Secrets), NpgsqlDbType.Jsonb));
        p.AddWithValue("enabled", s.Enabled);
        p.Add(Param("disabled_reason", s.DisabledReason, NpgsqlDbType.Text));
        p.Add(Param("description", s.Description, NpgsqlDbType.Text));
        p.Add(Param("metadata", PostgreSqlRows.WriteDictionary(s.Metadata), NpgsqlDbType.Jsonb));
        p.Add(Param("headers", PostgreSqlRows.WriteDictionary(s.Headers), NpgsqlDbType.Jsonb));
        p.Add(Param("rate", s.RateLimitPerSecond, NpgsqlDbType.Integer));
        p.AddWithValue("created", Utc(s.CreatedAt));
        p.AddWithValue("updated", Utc(s.UpdatedAt));
    }
}
