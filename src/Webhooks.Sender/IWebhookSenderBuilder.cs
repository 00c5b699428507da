using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Sender;

/// <summary>Configures the webhook sender registered by <see cref="WebhookSenderServiceCollectionExtensions.AddWebhookSender(IServiceCollection)"/>.</summary>
public interface IWebhookSenderBuilder
{
    /// <summary>Gets the service collection.</summary>
    IServiceCollection Services { get; }

    /// <summary>Gets the sender's name, which is also the name of its <see cref="System.Net.Http.HttpClient"/>.</summary>
    string Name { get; }
}
