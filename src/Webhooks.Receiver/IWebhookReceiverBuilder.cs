using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Receiver;

/// <summary>Configures one webhook receiver: its handlers and services. Returned by <c>AddWebhookReceiver</c>.</summary>
public interface IWebhookReceiverBuilder
{
    /// <summary>Gets the application's service collection.</summary>
    IServiceCollection Services { get; }

    /// <summary>Gets the receiver's name (the empty string for the default receiver).</summary>
    string Name { get; }
}
