using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver;

/// <summary>What a handler knows about a verified webhook, apart from its typed payload.</summary>
public abstract class WebhookContext
{
    private protected WebhookContext(HttpContext httpContext, string receiverName, string messageId, string eventType, DateTimeOffset? timestamp, ReadOnlyMemory<byte> rawBody)
    {
        RawBody = rawBody;
        HttpContext = httpContext;
        ReceiverName = receiverName;
        MessageId = messageId;
        EventType = eventType;
        Timestamp = timestamp;
    }

    /// <summary>Gets the name of the receiver that accepted the webhook (empty for the default receiver).</summary>
    public string ReceiverName { get; }

    /// <summary>Gets the message id (<c>webhook-id</c>, <c>X-GitHub-Delivery</c>, ...): the same on every retry.</summary>
    public string MessageId { get; }

    /// <summary>Gets the event type (<c>order.created</c>, <c>pull_request</c>, <c>orders/create</c>, ...).</summary>
    public string EventType { get; }

    /// <summary>Gets the time the sender gave the event (the envelope's timestamp, else the signed timestamp), when known.</summary>
    public DateTimeOffset? Timestamp { get; }

    /// <summary>
    /// Gets the request body exactly as received and verified (for Standard Webhooks the whole envelope, not only its
    /// <c>data</c>; for a form-encoded request the form), to store it, forward it or check a second signature.
    /// </summary>
    /// <remarks>
    /// The bytes live in a pooled buffer that is reused once the handlers of this request have finished: read them
    /// during the handler, and copy them (<c>RawBody.ToArray()</c>) to keep them longer. Nothing is copied unless you do.
    /// </remarks>
    public ReadOnlyMemory<byte> RawBody { get; }

    /// <summary>Gets the raw request headers.</summary>
    public IHeaderDictionary Headers => HttpContext.Request.Headers;

    /// <summary>Gets the request's service provider (a DI scope per request).</summary>
    public IServiceProvider Services => HttpContext.RequestServices;

    /// <summary>Gets the HTTP request's context.</summary>
    public HttpContext HttpContext { get; }
}
