using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Receiver.Internal;

internal sealed class WebhookReceiverBuilder(IServiceCollection services, string name) : IWebhookReceiverBuilder
{
    public IServiceCollection Services { get; } = services;

    public string Name { get; } = name;
}
