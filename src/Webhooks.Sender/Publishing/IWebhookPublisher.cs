using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;

namespace Webhooks.Sender;

/// <summary>
/// Publishes events: the payload is wrapped in the Standard Webhooks envelope, serialized once, stored once and
/// delivered to every enabled subscription of the tenant whose filters match the event type.
/// </summary>
public interface IWebhookPublisher
{
    /// <summary>Publishes an event whose type is named by <see cref="Core.WebhookEventAttribute"/> on <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="payload">The payload (the envelope's <c>data</c>).</param>
    /// <param name="options">The tenant and idempotency key, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The message id (the earlier message's id when the idempotency key was seen before).</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no valid <see cref="Core.WebhookEventAttribute"/>.</exception>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for AOT.")]
    Task<string> PublishAsync<T>(T payload, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Publishes an event of the given type.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="eventType">The event type, for example <c>order.created</c>.</param>
    /// <param name="payload">The payload (the envelope's <c>data</c>).</param>
    /// <param name="options">The tenant and idempotency key, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The message id.</returns>
    /// <exception cref="ArgumentException">The event type is not valid.</exception>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for AOT.")]
    Task<string> PublishAsync<T>(string eventType, T payload, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Publishes an event whose type is named by <see cref="Core.WebhookEventAttribute"/>, serialized with source-generated metadata.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="payload">The payload.</param>
    /// <param name="typeInfo">The payload's JSON metadata.</param>
    /// <param name="options">The tenant and idempotency key, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The message id.</returns>
    Task<string> PublishAsync<T>(T payload, JsonTypeInfo<T> typeInfo, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Publishes an event of the given type, serialized with source-generated metadata.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="eventType">The event type.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="typeInfo">The payload's JSON metadata.</param>
    /// <param name="options">The tenant and idempotency key, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The message id.</returns>
    /// <exception cref="ArgumentException">The event type is not valid.</exception>
    Task<string> PublishAsync<T>(string eventType, T payload, JsonTypeInfo<T> typeInfo, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes several events at once, in one write to the store when the store supports it (then all or nothing: when
    /// the call throws, none was published). Each item is matched, stored and delivered as its own message, exactly as
    /// <c>PublishAsync</c> would.
    /// </summary>
    /// <param name="items">The events, created with <see cref="WebhookPublishItem.Create{T}(string, T, JsonTypeInfo{T}, WebhookPublishOptions?)"/> or its overloads.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>One message id per item, in the same order (the earlier message's id for a repeated idempotency key).</returns>
    /// <remarks>The default implementation publishes the items one by one; the library's publisher overrides it.</remarks>
    async Task<IReadOnlyList<string>> PublishManyAsync(IReadOnlyList<WebhookPublishItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var ids = new string[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(items[i], nameof(items));
            ids[i] = await items[i].PublishOneAsync(this, cancellationToken).ConfigureAwait(false);
        }

        return ids;
    }
}
