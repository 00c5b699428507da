using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Webhooks.Sender;

namespace Webhooks.Testing;

/// <summary>Registers <see cref="FakeWebhookPublisher"/>.</summary>
public static class FakeWebhookPublisherServiceCollectionExtensions
{
    /// <summary>
    /// Replaces <see cref="IWebhookPublisher"/> with one <see cref="FakeWebhookPublisher"/> (resolve it to assert on what
    /// was published). Call it after <c>AddWebhookSender</c> or before: either way the fake wins. It reads the app's
    /// <see cref="TimeProvider"/> and the sender's <see cref="WebhookSenderOptions.SerializerOptions"/> when registered.
    /// Calling it twice registers nothing more.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddFakeWebhookPublisher(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.RemoveAll<IWebhookPublisher>();
        services.TryAddSingleton(static sp => new FakeWebhookPublisher(
            sp.GetService<TimeProvider>(),
            sp.GetService<IOptions<WebhookSenderOptions>>()?.Value.SerializerOptions));

        // Added first-come (TryAdd): a later AddWebhookSender's TryAdd of the real publisher then adds nothing.
        services.TryAddSingleton<IWebhookPublisher>(static sp => sp.GetRequiredService<FakeWebhookPublisher>());
        return services;
    }
}
