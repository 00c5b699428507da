using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender;

/// <summary>Follow-on configuration of the webhook sender.</summary>
public static partial class WebhookSenderBuilderExtensions
{
    /// <summary>Configures the sender's options.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder Configure(this IWebhookSenderBuilder builder, Action<WebhookSenderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Configures the sender's named <see cref="HttpClient"/>, for example to add a delegating handler. The primary
    /// handler does not follow redirects; replacing it is allowed but must keep redirects off.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the client through its <see cref="IHttpClientBuilder"/>.</param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder ConfigureHttpClient(this IWebhookSenderBuilder builder, Action<IHttpClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        configure(builder.Services.AddHttpClient(builder.Name));
        return builder;
    }

    /// <summary>Replaces the store with <typeparamref name="TStore"/>, resolved from the container as a singleton.</summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder UseStore<TStore>(this IWebhookSenderBuilder builder)
        where TStore : class, IWebhookStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IWebhookStore, TStore>());
        return builder;
    }

    /// <summary>Replaces the store with one built by a factory (called once).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store.</param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder UseStore(this IWebhookSenderBuilder builder, Func<IServiceProvider, IWebhookStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.Replace(ServiceDescriptor.Singleton(factory));
        return builder;
    }

    /// <summary>Uses the in-memory store (the default): fast, but undelivered webhooks are lost when the process ends.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder UseInMemoryStore(this IWebhookSenderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseStore(static sp => new InMemoryWebhookStore(sp.GetRequiredService<TimeProvider>()));
    }
}
