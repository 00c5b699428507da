using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Core.Events;
using Webhooks.Core;
using Webhooks.Receiver.Idempotency;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver;

/// <summary>Adds handlers and services to a webhook receiver.</summary>
public static class WebhookReceiverBuilderExtensions
{
    /// <summary>
    /// Adds a handler for the event type named by <see cref="WebhookEventAttribute"/> on <typeparamref name="T"/>.
    /// Several handlers may handle one event type; they run in registration order.
    /// </summary>
    /// <typeparam name="T">The payload type, carrying <c>[WebhookEvent("...")]</c>.</typeparam>
    /// <typeparam name="THandler">The handler, registered as a scoped service.</typeparam>
    /// <param name="builder">The receiver builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no valid <see cref="WebhookEventAttribute"/>.</exception>
    public static IWebhookReceiverBuilder AddHandler<T, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IWebhookReceiverBuilder builder)
        where THandler : class, IWebhookHandler<T> =>
        AddHandler<T, THandler>(builder, WebhookEventType.Of<T>());

    /// <summary>Adds a handler for an event type given explicitly (for example a GitHub <c>pull_request</c> or a Shopify <c>orders/create</c>).</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <typeparam name="THandler">The handler, registered as a scoped service.</typeparam>
    /// <param name="builder">The receiver builder.</param>
    /// <param name="eventType">The event type, compared ordinally.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder AddHandler<T, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IWebhookReceiverBuilder builder, string eventType)
        where THandler : class, IWebhookHandler<T>
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        builder.Services.TryAddScoped<THandler>();
        return Add(builder, new ServiceWebhookHandlerBinding<T, THandler>(eventType));
    }

    /// <summary>Adds a delegate handler for the event type named by <see cref="WebhookEventAttribute"/> on <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The payload type, carrying <c>[WebhookEvent("...")]</c>.</typeparam>
    /// <param name="builder">The receiver builder.</param>
    /// <param name="handler">The handler; resolve services from <see cref="WebhookContext.Services"/>.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder AddHandler<T>(this IWebhookReceiverBuilder builder, Func<WebhookContext<T>, CancellationToken, Task> handler) =>
        AddHandler(builder, WebhookEventType.Of<T>(), handler);

    /// <summary>Adds a delegate handler for an event type given explicitly.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="builder">The receiver builder.</param>
    /// <param name="eventType">The event type, compared ordinally.</param>
    /// <param name="handler">The handler; resolve services from <see cref="WebhookContext.Services"/>.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder AddHandler<T>(this IWebhookReceiverBuilder builder, string eventType, Func<WebhookContext<T>, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        ArgumentNullException.ThrowIfNull(handler);
        return Add(builder, new DelegateWebhookHandlerBinding<T>(eventType, handler));
    }

    /// <summary>
    /// Adds a handler for every event type that has no handler of its own. It receives the payload as a
    /// <see cref="JsonElement"/>. Several fallback handlers run in registration order.
    /// </summary>
    /// <typeparam name="THandler">The handler, registered as a scoped service.</typeparam>
    /// <param name="builder">The receiver builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder AddFallbackHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IWebhookReceiverBuilder builder)
        where THandler : class, IWebhookHandler<JsonElement>
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<THandler>();
        return Add(builder, new ServiceWebhookHandlerBinding<JsonElement, THandler>(eventType: null));
    }

    /// <summary>Adds a delegate handler for every event type that has no handler of its own.</summary>
    /// <param name="builder">The receiver builder.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder AddFallbackHandler(this IWebhookReceiverBuilder builder, Func<WebhookContext<JsonElement>, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(handler);
        return Add(builder, new DelegateWebhookHandlerBinding<JsonElement>(eventType: null, handler));
    }

    /// <summary>Configures the receiver's options (in addition to the <c>AddWebhookReceiver</c> call).</summary>
    /// <param name="builder">The receiver builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder Configure(this IWebhookReceiverBuilder builder, Action<WebhookReceiverOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(builder.Name, configure);
        return builder;
    }

    /// <summary>
    /// Replaces the idempotency store of every receiver with one of your own (for example on a database, with an atomic
    /// "insert if absent").
    /// </summary>
    /// <typeparam name="TStore">The store, registered as a singleton.</typeparam>
    /// <param name="builder">The receiver builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder UseIdempotencyStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>(this IWebhookReceiverBuilder builder)
        where TStore : class, IWebhookIdempotencyStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IWebhookIdempotencyStore, TStore>());
        return builder;
    }

    /// <summary>
    /// Remembers handled message ids in the app's <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/>
    /// (Redis, SQL Server, ...), so several instances behind a load balancer share them. Register the cache yourself.
    /// This is best effort across instances: the cache has no atomic "add if absent", so two instances receiving the same
    /// message within one cache round trip can both handle it. It applies to every receiver.
    /// </summary>
    /// <param name="builder">The receiver builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder UseDistributedCacheIdempotency(this IWebhookReceiverBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IWebhookIdempotencyStore, DistributedCacheWebhookIdempotencyStore>());
        return builder;
    }

    private static IWebhookReceiverBuilder Add(IWebhookReceiverBuilder builder, WebhookHandlerBinding binding)
    {
        var definition = WebhookReceiverRegistry.GetOrAdd(builder.Services).GetOrAdd(builder.Name);
        (binding.EventType is null ? definition.FallbackHandlers : definition.Handlers).Add(binding);
        return builder;
    }
}
