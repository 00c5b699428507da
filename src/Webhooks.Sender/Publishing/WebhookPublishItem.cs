using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Webhooks.Core;
using Webhooks.Core.Events;

namespace Webhooks.Sender;

/// <summary>
/// One event of a batch for <see cref="IWebhookPublisher.PublishManyAsync"/>: its type, its payload and its publish
/// options. Create it with one of the <c>Create</c> methods; the payload is serialized when the batch is published
/// (the envelope's timestamp is the publish time).
/// </summary>
public sealed class WebhookPublishItem
{
    private readonly Func<DateTimeOffset, JsonSerializerOptions?, byte[]> _serialize;
    private readonly Func<IWebhookPublisher, CancellationToken, Task<string>> _publishOne;

    private WebhookPublishItem(
        string eventType,
        WebhookPublishOptions? options,
        Func<DateTimeOffset, JsonSerializerOptions?, byte[]> serialize,
        Func<IWebhookPublisher, CancellationToken, Task<string>> publishOne)
    {
        EventType = eventType;
        Options = options;
        _serialize = serialize;
        _publishOne = publishOne;
    }

    /// <summary>Gets the event type, for example <c>order.created</c>.</summary>
    public string EventType { get; }

    /// <summary>Gets the tenant and idempotency key, or <see langword="null"/>.</summary>
    public WebhookPublishOptions? Options { get; }

    /// <summary>Creates an item of the given type, serialized with source-generated metadata.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="eventType">The event type.</param>
    /// <param name="payload">The payload (the envelope's <c>data</c>).</param>
    /// <param name="typeInfo">The payload's JSON metadata.</param>
    /// <param name="options">The tenant and idempotency key, or <see langword="null"/>.</param>
    /// <returns>The item.</returns>
    /// <exception cref="ArgumentException">The event type is not valid.</exception>
    public static WebhookPublishItem Create<T>(string eventType, T payload, JsonTypeInfo<T> typeInfo, WebhookPublishOptions? options = null)
    {
        WebhookEventType.ThrowIfInvalid(eventType, nameof(eventType));
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new WebhookPublishItem(
            eventType,
            options,
            (timestamp, _) => WebhookEnvelope.Serialize(eventType, timestamp, payload, typeInfo),
            (publisher, cancellationToken) => publisher.PublishAsync(eventType, payload, typeInfo, options, cancellationToken));
    }

    /// <summary>
    /// Creates an item whose type is named by <see cref="WebhookEventAttribute"/> on <typeparamref name="T"/>, serialized
    /// with source-generated metadata.
    /// </summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="payload">The payload.</param>
    /// <param name="typeInfo">The payload's JSON metadata.</param>
    /// <param name="options">The tenant and idempotency key, or <see langword="null"/>.</param>
    /// <returns>The item.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no valid <see cref="WebhookEventAttribute"/>.</exception>
    public static WebhookPublishItem Create<T>(T payload, JsonTypeInfo<T> typeInfo, WebhookPublishOptions? options = null) =>
        Create(WebhookEventType.Of<T>(), payload, typeInfo, options);

    /// <summary>
    /// Creates an item of the given type, serialized by reflection with the sender's
    /// <see cref="WebhookSenderOptions.SerializerOptions"/>.
    /// </summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="eventType">The event type.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="options">The tenant and idempotency key, or <see langword="null"/>.</param>
    /// <returns>The item.</returns>
    /// <exception cref="ArgumentException">The event type is not valid.</exception>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for AOT.")]
    public static WebhookPublishItem Create<T>(string eventType, T payload, WebhookPublishOptions? options = null)
    {
        WebhookEventType.ThrowIfInvalid(eventType, nameof(eventType));
        return new WebhookPublishItem(
            eventType,
            options,
            (timestamp, serializerOptions) => WebhookEnvelope.Serialize(eventType, timestamp, payload, serializerOptions),
            (publisher, cancellationToken) => publisher.PublishAsync(eventType, payload, options, cancellationToken));
    }

    /// <summary>
    /// Creates an item whose type is named by <see cref="WebhookEventAttribute"/> on <typeparamref name="T"/>, serialized
    /// by reflection with the sender's <see cref="WebhookSenderOptions.SerializerOptions"/>.
    /// </summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="payload">The payload.</param>
    /// <param name="options">The tenant and idempotency key, or <see langword="null"/>.</param>
    /// <returns>The item.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no valid <see cref="WebhookEventAttribute"/>.</exception>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for AOT.")]
    public static WebhookPublishItem Create<T>(T payload, WebhookPublishOptions? options = null) =>
        Create(WebhookEventType.Of<T>(), payload, options);

    /// <summary>Serializes the envelope with the given timestamp.</summary>
    internal byte[] Serialize(DateTimeOffset timestamp, JsonSerializerOptions? serializerOptions) => _serialize(timestamp, serializerOptions);

    /// <summary>Publishes this item alone through <paramref name="publisher"/>'s single-event method.</summary>
    internal Task<string> PublishOneAsync(IWebhookPublisher publisher, CancellationToken cancellationToken) => _publishOne(publisher, cancellationToken);
}
