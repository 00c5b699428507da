using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Receiver.Inbox;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver;

/// <summary>Turns on the inbox of a webhook receiver: verify, store, answer at once, run the handlers in the background.</summary>
public static class WebhookInboxBuilderExtensions
{
    /// <summary>
    /// Makes the receiver store each verified webhook in the inbox and answer as soon as it is stored
    /// (<see cref="WebhookInboxOptions.AcceptedStatusCode"/>, 202 by default); a background processor then runs the
    /// handlers with retries. The inbox's unique (receiver, message id) key replaces the idempotency store for this
    /// receiver. Without a durable store (<c>UseSqliteInbox</c>, <c>UsePostgreSqlInbox</c>) the inbox is in memory.
    /// </summary>
    /// <param name="builder">The receiver builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder UseInbox(this IWebhookReceiverBuilder builder) => UseInbox(builder, static _ => { });

    /// <summary>Turns on the receiver's inbox (see <see cref="UseInbox(IWebhookReceiverBuilder)"/>) and configures it.</summary>
    /// <param name="builder">The receiver builder.</param>
    /// <param name="configure">Configures the retries, lease, concurrency and retention.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder UseInbox(this IWebhookReceiverBuilder builder, Action<WebhookInboxOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        WebhookReceiverRegistry.GetOrAdd(services).GetOrAdd(builder.Name).UsesInbox = true;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWebhookInboxStore, InMemoryWebhookInboxStore>();
        services.TryAddSingleton<WebhookInboxSignals>();
        services.TryAddSingleton<IWebhookInbox, WebhookInbox>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookInboxProcessor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookInboxOptions>, WebhookInboxOptionsValidator>());
        services.AddOptions<WebhookInboxOptions>(builder.Name).Configure(configure).ValidateOnStart();
        return builder;
    }

    /// <summary>Turns on the receiver's inbox with options bound to a configuration section.</summary>
    /// <param name="builder">The receiver builder.</param>
    /// <param name="configuration">
    /// The section: <c>RetryDelays</c>, <c>MaxAttempts</c>, <c>LeaseDuration</c>, <c>PollInterval</c>, <c>MaxConcurrency</c>,
    /// <c>AcceptedStatusCode</c>, <c>ProcessedRetention</c>, <c>DeadRetention</c>, <c>RetentionInterval</c>. Any other key
    /// fails start-up with an <see cref="OptionsValidationException"/> that names it.
    /// </param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder UseInbox(this IWebhookReceiverBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        UseInbox(builder);
        var name = builder.Name;
        builder.Services.AddSingleton<IConfigureOptions<WebhookInboxOptions>>(
            new ConfigureNamedOptions<WebhookInboxOptions>(name, options => WebhookInboxConfiguration.Bind(configuration, name, options)));
        return builder;
    }

    /// <summary>
    /// Turns on the receiver's inbox and keeps it in a store of your own (one store serves every inbox receiver of the
    /// app; the last call wins).
    /// </summary>
    /// <typeparam name="TStore">The store, registered as a singleton.</typeparam>
    /// <param name="builder">The receiver builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder UseInboxStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>(this IWebhookReceiverBuilder builder)
        where TStore : class, IWebhookInboxStore
    {
        UseInbox(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IWebhookInboxStore, TStore>());
        return builder;
    }

    /// <summary>Turns on the receiver's inbox and keeps it in the store the factory creates (for store packages).</summary>
    /// <param name="builder">The receiver builder.</param>
    /// <param name="factory">Creates the store, once.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder UseInboxStore(this IWebhookReceiverBuilder builder, Func<IServiceProvider, IWebhookInboxStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        UseInbox(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton(factory));
        return builder;
    }
}
