using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using Npgsql;
using Webhooks.Sender.PostgreSql.Internal;
using Webhooks.Sender.Publishing;
using Webhooks.Sender;

namespace Webhooks.Sender;

/// <summary>
/// Publishing inside the application's own PostgreSQL transaction (the transactional outbox): the message and its
/// deliveries are written in <c>transaction</c>, so they exist if and only if the business change commits, and other
/// instances are notified at commit. The sender must use <c>UsePostgreSql</c> on the same database.
/// </summary>
/// <remarks>
/// With Entity Framework Core, pass <c>(NpgsqlTransaction)context.Database.CurrentTransaction!.GetDbTransaction()</c>.
/// The process that published is woken at once; if the transaction rolls back it simply finds nothing to send.
/// </remarks>
public static class PostgreSqlWebhookPublisherExtensions
{
    /// <summary>Publishes an event of the given type inside <paramref name="transaction"/>.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="publisher">The publisher.</param>
    /// <param name="transaction">The application's open transaction, on the store's database.</param>
    /// <param name="eventType">The event type, for example <c>order.created</c>.</param>
    /// <param name="payload">The payload (the envelope's <c>data</c>).</param>
    /// <param name="typeInfo">The payload's JSON metadata.</param>
    /// <param name="options">The tenant and idempotency key, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The message id.</returns>
    /// <exception cref="InvalidOperationException">The sender does not use the PostgreSQL store, or the transaction has completed.</exception>
    public static Task<string> PublishAsync<T>(this IWebhookPublisher publisher, NpgsqlTransaction transaction, string eventType, T payload, JsonTypeInfo<T> typeInfo, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        return InTransactionAsync(transaction, () => publisher.PublishAsync(eventType, payload, typeInfo, options, cancellationToken));
    }

    /// <summary>Publishes an event whose type is named by <see cref="Core.WebhookEventAttribute"/> on <typeparamref name="T"/>, inside <paramref name="transaction"/>.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="publisher">The publisher.</param>
    /// <param name="transaction">The application's open transaction, on the store's database.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="typeInfo">The payload's JSON metadata.</param>
    /// <param name="options">The tenant and idempotency key, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The message id.</returns>
    /// <exception cref="InvalidOperationException">The sender does not use the PostgreSQL store, or the transaction has completed.</exception>
    public static Task<string> PublishAsync<T>(this IWebhookPublisher publisher, NpgsqlTransaction transaction, T payload, JsonTypeInfo<T> typeInfo, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        return InTransactionAsync(transaction, () => publisher.PublishAsync(payload, typeInfo, options, cancellationToken));
    }

    /// <summary>Publishes an event of the given type inside <paramref name="transaction"/>, serialized with reflection.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="publisher">The publisher.</param>
    /// <param name="transaction">The application's open transaction, on the store's database.</param>
    /// <param name="eventType">The event type, for example <c>order.created</c>.</param>
    /// <param name="payload">The payload (the envelope's <c>data</c>).</param>
    /// <param name="options">The tenant and idempotency key, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The message id.</returns>
    /// <exception cref="InvalidOperationException">The sender does not use the PostgreSQL store, or the transaction has completed.</exception>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for AOT.")]
    public static Task<string> PublishAsync<T>(this IWebhookPublisher publisher, NpgsqlTransaction transaction, string eventType, T payload, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        return InTransactionAsync(transaction, () => publisher.PublishAsync(eventType, payload, options, cancellationToken));
    }

    /// <summary>Publishes an event whose type is named by <see cref="Core.WebhookEventAttribute"/> on <typeparamref name="T"/>, inside <paramref name="transaction"/>, serialized with reflection.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="publisher">The publisher.</param>
    /// <param name="transaction">The application's open transaction, on the store's database.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="options">The tenant and idempotency key, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The message id.</returns>
    /// <exception cref="InvalidOperationException">The sender does not use the PostgreSQL store, or the transaction has completed.</exception>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for AOT.")]
    public static Task<string> PublishAsync<T>(this IWebhookPublisher publisher, NpgsqlTransaction transaction, T payload, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        return InTransactionAsync(transaction, () => publisher.PublishAsync(payload, options, cancellationToken));
    }

    private static async Task<string> InTransactionAsync(NpgsqlTransaction transaction, Func<Task<string>> publish)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Connection is null)
        {
            throw new InvalidOperationException("The PostgreSQL transaction has already completed; publish before committing it.");
        }

        // The ambient value set here flows into the publish and is gone when this method returns.
        var scope = PostgreSqlAmbientTransaction.Enter(transaction);
        try
        {
            var messageId = await publish().ConfigureAwait(false);
            if (!scope.Used)
            {
                throw new InvalidOperationException("The webhook sender does not use the PostgreSQL store, so the message was not written in the transaction. Call UsePostgreSql on AddWebhookSender.");
            }

            return messageId;
        }
        finally
        {
            PostgreSqlAmbientTransaction.Exit();
        }
    }
}
