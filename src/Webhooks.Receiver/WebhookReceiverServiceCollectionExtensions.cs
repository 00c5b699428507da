using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Webhooks.Receiver.Idempotency;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver;

/// <summary>Adds webhook receivers to the services.</summary>
public static class WebhookReceiverServiceCollectionExtensions
{
    /// <summary>Adds the default webhook receiver (Standard Webhooks unless configured otherwise).</summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder to add handlers.</returns>
    public static IWebhookReceiverBuilder AddWebhookReceiver(this IServiceCollection services) =>
        AddWebhookReceiver(services, Options.DefaultName, static _ => { });

    /// <summary>Adds the default webhook receiver.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options: secrets, scheme, limits.</param>
    /// <returns>A builder to add handlers.</returns>
    public static IWebhookReceiverBuilder AddWebhookReceiver(this IServiceCollection services, Action<WebhookReceiverOptions> configure) =>
        AddWebhookReceiver(services, Options.DefaultName, configure);

    /// <summary>Adds the default webhook receiver, bound to a configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">
    /// The section: <c>Scheme</c>, <c>Secrets</c> (or <c>Secret</c>), <c>Tolerance</c>, <c>MaxBodySize</c>, ... A key that is
    /// not an option fails start-up with an <see cref="OptionsValidationException"/> that names it.
    /// </param>
    /// <returns>A builder to add handlers.</returns>
    public static IWebhookReceiverBuilder AddWebhookReceiver(this IServiceCollection services, IConfiguration configuration) =>
        AddWebhookReceiver(services, Options.DefaultName, configuration);

    /// <summary>Adds a named webhook receiver; map it with <c>MapWebhookReceiver(pattern, name)</c>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The receiver's name, for example <c>github</c>.</param>
    /// <returns>A builder to add handlers.</returns>
    public static IWebhookReceiverBuilder AddWebhookReceiver(this IServiceCollection services, string name) =>
        AddWebhookReceiver(services, name, static _ => { });

    /// <summary>Adds a named webhook receiver bound to a configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The receiver's name.</param>
    /// <param name="configuration">
    /// The section: <c>Scheme</c>, <c>Secrets</c> (or <c>Secret</c>), <c>Tolerance</c>, <c>MaxBodySize</c>, ... A key that is
    /// not an option fails start-up with an <see cref="OptionsValidationException"/> that names it.
    /// </param>
    /// <returns>A builder to add handlers.</returns>
    public static IWebhookReceiverBuilder AddWebhookReceiver(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = AddWebhookReceiver(services, name, static _ => { });
        services.AddSingleton<IConfigureOptions<WebhookReceiverOptions>>(
            new ConfigureNamedOptions<WebhookReceiverOptions>(name, options => WebhookReceiverConfiguration.Bind(configuration, name, options)));
        services.AddSingleton<IOptionsChangeTokenSource<WebhookReceiverOptions>>(new ConfigurationChangeTokenSource<WebhookReceiverOptions>(name, configuration));
        return builder;
    }

    /// <summary>Adds a named webhook receiver, for example <c>AddWebhookReceiver("github", o =&gt; o.UseGitHub(secret))</c>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The receiver's name; <see cref="Options.DefaultName"/> (empty) for the default receiver.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>A builder to add handlers.</returns>
    public static IWebhookReceiverBuilder AddWebhookReceiver(this IServiceCollection services, string name, Action<WebhookReceiverOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWebhookIdempotencyStore, InMemoryWebhookIdempotencyStore>();
        services.TryAddSingleton<WebhookReceiverMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookReceiverOptions>, WebhookReceiverOptionsValidator>());

        var registry = WebhookReceiverRegistry.GetOrAdd(services);
        registry.GetOrAdd(name);
        services.AddOptions<WebhookReceiverOptions>(name).Configure(configure).ValidateOnStart();
        return new WebhookReceiverBuilder(services, name);
    }
}
