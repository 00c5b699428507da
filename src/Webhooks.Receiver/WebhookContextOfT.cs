using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver;

/// <summary>A verified webhook with its typed payload.</summary>
/// <typeparam name="T">The payload type.</typeparam>
public sealed class WebhookContext<T> : WebhookContext
{
    internal WebhookContext(HttpContext httpContext, string receiverName, string messageId, string eventType, DateTimeOffset? timestamp, ReadOnlyMemory<byte> rawBody, T data)
        : base(httpContext, receiverName, messageId, eventType, timestamp, rawBody) => Data = data;

    /// <summary>Gets the payload: the envelope's <c>data</c> for Standard Webhooks, the whole body for providers.</summary>
    public T Data { get; }
}
