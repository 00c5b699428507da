using System.Text.Json;

namespace Webhooks.Receiver.Internal;

/// <summary>
/// A handler registration with its typed invoker, built once at registration so a request needs no reflection.
/// </summary>
internal abstract class WebhookHandlerBinding
{
    protected WebhookHandlerBinding(string? eventType, Type payloadType)
    {
        EventType = eventType;
        PayloadType = payloadType;
    }

    /// <summary>Gets the event type, or <see langword="null"/> for a fallback handler.</summary>
    public string? EventType { get; }

    public Type PayloadType { get; }

    /// <summary>Deserializes the payload; throws <see cref="JsonException"/> when it is not of the handler's type.</summary>
    public abstract object? Deserialize(ReadOnlySpan<byte> json, WebhookJson reader);

    public abstract Task InvokeAsync(WebhookMessage message, object? data, CancellationToken cancellationToken);
}

internal abstract class WebhookHandlerBinding<T> : WebhookHandlerBinding
{
    protected WebhookHandlerBinding(string? eventType)
        : base(eventType, typeof(T))
    {
    }

    public sealed override object? Deserialize(ReadOnlySpan<byte> json, WebhookJson reader) => reader.Deserialize<T>(json);

    public sealed override Task InvokeAsync(WebhookMessage message, object? data, CancellationToken cancellationToken) =>
        InvokeAsync(new WebhookContext<T>(message.HttpContext, message.ReceiverName, message.MessageId, message.EventType, message.Timestamp, message.RawBody, (T)data!), cancellationToken);

    protected abstract Task InvokeAsync(WebhookContext<T> context, CancellationToken cancellationToken);
}

/// <summary>A handler class resolved from the request's services.</summary>
internal sealed class ServiceWebhookHandlerBinding<T, THandler> : WebhookHandlerBinding<T>
    where THandler : class, IWebhookHandler<T>
{
    public ServiceWebhookHandlerBinding(string? eventType)
        : base(eventType)
    {
    }

    protected override Task InvokeAsync(WebhookContext<T> context, CancellationToken cancellationToken)
    {
        var handler = (THandler?)context.Services.GetService(typeof(THandler))
            ?? throw new InvalidOperationException($"The webhook handler '{typeof(THandler)}' is not registered in the services.");
        return handler.HandleAsync(context, cancellationToken);
    }
}

/// <summary>A delegate handler (minimal APIs).</summary>
internal sealed class DelegateWebhookHandlerBinding<T> : WebhookHandlerBinding<T>
{
    private readonly Func<WebhookContext<T>, CancellationToken, Task> _handler;

    public DelegateWebhookHandlerBinding(string? eventType, Func<WebhookContext<T>, CancellationToken, Task> handler)
        : base(eventType) => _handler = handler;

    protected override Task InvokeAsync(WebhookContext<T> context, CancellationToken cancellationToken) => _handler(context, cancellationToken);
}
