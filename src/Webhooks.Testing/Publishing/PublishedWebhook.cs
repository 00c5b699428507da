using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Webhooks.Core.Events;

namespace Webhooks.Testing;

/// <summary>One event recorded by <see cref="FakeWebhookPublisher"/>: what the real publisher would have stored.</summary>
public sealed class PublishedWebhook
{
    private readonly byte[] _body;
    private readonly WebhookEnvelopeHeader _envelope;
    private readonly JsonSerializerOptions? _serializerOptions;

    internal PublishedWebhook(string messageId, string eventType, string? tenantId, string? idempotencyKey, DateTimeOffset publishedAt, byte[] body, JsonSerializerOptions? serializerOptions)
    {
        MessageId = messageId;
        EventType = eventType;
        TenantId = tenantId;
        IdempotencyKey = idempotencyKey;
        PublishedAt = publishedAt;
        _body = body;
        _serializerOptions = serializerOptions;
        WebhookEnvelope.TryRead(body, out _envelope);
    }

    /// <summary>Gets the message id returned to the caller.</summary>
    public string MessageId { get; }

    /// <summary>Gets the event type, for example <c>order.created</c>.</summary>
    public string EventType { get; }

    /// <summary>Gets the tenant, or <see langword="null"/> when published without one.</summary>
    public string? TenantId { get; }

    /// <summary>Gets the idempotency key, or <see langword="null"/>.</summary>
    public string? IdempotencyKey { get; }

    /// <summary>Gets when it was published, on the app's clock.</summary>
    public DateTimeOffset PublishedAt { get; }

    /// <summary>Gets the envelope bytes the real publisher would deliver (<c>{"type","timestamp","data"}</c>).</summary>
    public ReadOnlyMemory<byte> Body => _body;

    /// <summary>Gets the envelope as text.</summary>
    public string Json => Encoding.UTF8.GetString(_body);

    /// <summary>Gets the payload (the envelope's <c>data</c>) as JSON text.</summary>
    public string DataJson => _envelope.HasData ? Encoding.UTF8.GetString(_envelope.GetData(_body)) : "null";

    /// <summary>Reads the payload as <typeparamref name="T"/>, with the JSON options it was serialized with.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <returns>The payload.</returns>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for AOT.")]
    public T? Data<T>() => WebhookEnvelope.DeserializeData<T>(_body, _envelope, _serializerOptions);

    /// <summary>Reads the payload as <typeparamref name="T"/> with source-generated metadata.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="typeInfo">The payload's JSON metadata.</param>
    /// <returns>The payload.</returns>
    public T? Data<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return WebhookEnvelope.DeserializeData(_body, _envelope, typeInfo);
    }

    /// <summary>Returns the event type and message id.</summary>
    /// <returns>For example <c>order.created msg_...</c>.</returns>
    public override string ToString() => $"{EventType} {MessageId}";
}
