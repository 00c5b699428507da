using System.Text.Json;
using Microsoft.Data.Sqlite;
using Webhooks.Core;
using Webhooks.Core.Events;
using Webhooks.Sender.Sqlite.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Sqlite;

public sealed partial class SqliteWebhookStore
{
    private const string SubscriptionColumns =
        "id, tenant_id, url, secrets, event_types, enabled, disabled_reason, description, metadata, headers, rate_limit_per_second, created_at, updated_at";

    /// <inheritdoc />
    public Task CreateSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return WriteAsync(subscription, static (connection, transaction, s) =>
        {
            using var command = connection.Command(
                $"INSERT INTO subscriptions ({SubscriptionColumns}) VALUES ($id, $tenant, $url, $secrets, $eventTypes, $enabled, $disabledReason, $description, $metadata, $headers, $rateLimit, $createdAt, $updatedAt)",
                transaction);
            BindSubscription(command, s);
            try
            {
                return command.ExecuteNonQuery();
            }
            catch (SqliteException ex) when (ex.IsConstraintViolation())
            {
                throw new InvalidOperationException($"A subscription with id '{s.Id}' already exists.", ex);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<WebhookSubscription?> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default) =>
        GetByIdAsync("subscriptions", SubscriptionColumns, subscriptionId, ReadSubscription, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return WriteAsync(subscription, static (connection, transaction, s) =>
        {
            using var command = connection.Command(
                """
                UPDATE subscriptions SET tenant_id = $tenant, url = $url, secrets = $secrets, event_types = $eventTypes,
                    enabled = $enabled, disabled_reason = $disabledReason, description = $description, metadata = $metadata,
                    headers = $headers, rate_limit_per_second = $rateLimit, created_at = $createdAt, updated_at = $updatedAt
                WHERE id = $id
                """,
                transaction);
            BindSubscription(command, s);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        return WriteAsync(subscriptionId, static (connection, transaction, id) =>
        {
            using var command = connection.Command("DELETE FROM subscriptions WHERE id = $id", transaction).With("$id", id);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<WebhookPage<WebhookSubscription>> ListSubscriptionsAsync(WebhookSubscriptionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Event type filters are matched in code, so the page is filled by reading on until it is full.
        Func<WebhookSubscription, bool>? keep = query.EventType is { } eventType ? s => WebhookEventFilter.MatchesAny(s.EventTypes, eventType) : null;
        return ListAsync(query, "subscriptions", SubscriptionColumns, static (where, q) =>
        {
            where.Add(q.TenantId, "tenant_id = $tenant", "$tenant");
            where.Add(q.Enabled, "enabled = $enabled", "$enabled");
        }, ReadSubscription, static s => s.Id, cancellationToken, keep);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookSubscription>> FindSubscriptionsAsync(string? tenantId, string eventType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        return ReadAsync((tenantId, eventType), static (connection, state) =>
        {
            // Reads the tenant's enabled subscriptions (ix_subscriptions_tenant) and matches the filters in code.
            using var command = connection.Command($"SELECT {SubscriptionColumns} FROM subscriptions WHERE tenant_id IS $tenant AND enabled = 1 ORDER BY id")
                .With("$tenant", state.tenantId);
            using var reader = command.ExecuteReader();
            var found = new List<WebhookSubscription>();
            while (reader.Read())
            {
                var s = ReadSubscription(reader);
                if (WebhookEventFilter.MatchesAny(s.EventTypes, state.eventType))
                {
                    found.Add(s);
                }
            }

            return (IReadOnlyList<WebhookSubscription>)found;
        }, cancellationToken);
    }

    private static void BindSubscription(SqliteCommand command, WebhookSubscription s)
    {
        var secrets = new StoredSecret[s.Secrets.Count];
        for (var i = 0; i < secrets.Length; i++)
        {
            var secret = s.Secrets[i];
            secrets[i] = new StoredSecret(secret.Secret.RevealEncoded(), secret.CreatedAt.ToUnixTimeMilliseconds(), secret.ExpiresAt?.ToUnixTimeMilliseconds());
        }

        command.With("$id", s.Id)
            .With("$tenant", s.TenantId)
            .With("$url", s.Url.OriginalString)
            .With("$secrets", JsonSerializer.Serialize(secrets, SqliteJsonContext.Default.StoredSecretArray))
            .With("$eventTypes", SqliteJsonContext.Serialize(s.EventTypes))
            .With("$enabled", s.Enabled)
            .With("$disabledReason", s.DisabledReason)
            .With("$description", s.Description)
            .With("$metadata", SqliteJsonContext.Serialize(s.Metadata))
            .With("$headers", SqliteJsonContext.Serialize(s.Headers))
            .With("$rateLimit", s.RateLimitPerSecond)
            .With("$createdAt", s.CreatedAt)
            .With("$updatedAt", s.UpdatedAt);
    }

    private static WebhookSubscription ReadSubscription(SqliteDataReader r)
    {
        var stored = JsonSerializer.Deserialize(r.GetString(3), SqliteJsonContext.Default.StoredSecretArray) ?? [];
        var secrets = new WebhookSubscriptionSecret[stored.Length];
        for (var i = 0; i < stored.Length; i++)
        {
            secrets[i] = new WebhookSubscriptionSecret(
                WebhookSecret.Parse(stored[i].Secret),
                DateTimeOffset.FromUnixTimeMilliseconds(stored[i].CreatedAt),
                stored[i].ExpiresAt is { } expires ? DateTimeOffset.FromUnixTimeMilliseconds(expires) : null);
        }

        return new WebhookSubscription
        {
            Id = r.GetString(0),
            TenantId = r.GetStringOrNull(1),
            Url = new Uri(r.GetString(2), UriKind.RelativeOrAbsolute),
            Secrets = secrets,
            EventTypes = SqliteJsonContext.ReadStrings(r.GetString(4)),
            Enabled = r.GetBoolean(5),
            DisabledReason = r.GetStringOrNull(6),
            Description = r.GetStringOrNull(7),
            Metadata = SqliteJsonContext.ReadMap(r.GetString(8)),
            Headers = SqliteJsonContext.ReadMap(r.GetString(9)),
            RateLimitPerSecond = r.GetInt32OrNull(10),
            CreatedAt = r.GetTime(11),
            UpdatedAt = r.GetTime(12),
        };
    }
}
