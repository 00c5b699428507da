namespace Webhooks.Receiver;

/// <summary>
/// Handles one event type. Registered with <c>AddHandler&lt;T, THandler&gt;()</c> and resolved from the request's
/// DI scope, so scoped services such as a DbContext can be injected.
/// </summary>
/// <typeparam name="T">The payload type: the envelope's <c>data</c> for Standard Webhooks, the whole body for providers.</typeparam>
public interface IWebhookHandler<T>
{
    /// <summary>Handles a genuine, first delivery of an event. Throw to answer 500 so the sender retries.</summary>
    /// <param name="context">The event and its request.</param>
    /// <param name="cancellationToken">Signalled when the request is aborted.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    Task HandleAsync(WebhookContext<T> context, CancellationToken cancellationToken);
}
