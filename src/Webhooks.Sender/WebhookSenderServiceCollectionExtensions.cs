using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Webhooks.Sender.Delivery;
using Webhooks.Sender;
using Webhooks.Sender.Diagnostics;
using Webhooks.Sender.Events;
using Webhooks.Sender.Health;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Security;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Sender;

/// <summary>Registers the webhook sender.</summary>
public static class WebhookSenderServiceCollectionExtensions
{
    /// <summary>The name of the sender and of its <see cref="HttpClient"/>: <c>Webhooks.Sender</c>.</summary>
    public const string DefaultName = "Webhooks.Sender";

    /// <summary>
    /// Adds the webhook sender: <see cref="IWebhookSubscriptions"/>, <see cref="IWebhookPublisher"/>,
    /// <see cref="IWebhookDeliveries"/>, the in-memory store (replace it with <c>UseSqlite</c>, <c>UsePostgreSql</c> or
    /// <see cref="WebhookSenderBuilderExtensions.UseStore{TStore}(IWebhookSenderBuilder)"/>) and the hosted dispatcher.
    /// Calling it again adds nothing twice.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The builder, to configure the sender further.</returns>
    public static IWebhookSenderBuilder AddWebhookSender(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddWebhookSender(static _ => { });
    }

    /// <summary>Adds the webhook sender and configures its options in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder AddWebhookSender(this IServiceCollection services, Action<WebhookSenderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = AddCore(services);
        services.Configure(configure);
        return builder;
    }

    /// <summary>Adds the webhook sender and binds its options from configuration (for example the <c>Webhooks:Sender</c> section).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">
    /// The configuration section holding <see cref="WebhookSenderOptions"/> values (and, optionally, the <c>Sqlite</c> or
    /// <c>PostgreSql</c> store sections). A key that is not an option (a misspelt <c>AttemptTimout</c>) fails start-up with
    /// an <see cref="OptionsValidationException"/> that names it.
    /// </param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder AddWebhookSender(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddWebhookSender(options =>
        {
            ThrowOnUnknownKeys(configuration);
            configuration.Bind(options);
        });
    }

    /// <summary>Fails on a key that binds to nothing, which the binder would skip silently.</summary>
    private static void ThrowOnUnknownKeys(IConfiguration configuration)
    {
        var errors = new List<string>();
        CheckKeys(configuration, typeof(WebhookSenderOptions), errors, isRoot: true);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(WebhookSenderOptions), errors);
        }
    }

    private static void CheckKeys(IConfiguration section, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type, List<string> errors, bool isRoot)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                // The stores' sections may sit inside the sender's (Webhooks:Sender:Sqlite), bound by UseSqlite / UsePostgreSql.
                if (!isRoot || !(string.Equals(child.Key, "Sqlite", StringComparison.OrdinalIgnoreCase) || string.Equals(child.Key, "PostgreSql", StringComparison.OrdinalIgnoreCase)))
                {
                    errors.Add($"The webhook sender configuration has an unknown key '{child.Path}': {type.Name} has no such option. Check its spelling against the options in docs/configuration.md.");
                }
            }
            else if (property.PropertyType == typeof(WebhookSsrfOptions))
            {
                CheckKeys(child, typeof(WebhookSsrfOptions), errors, isRoot: false);
            }
            else if (property.PropertyType == typeof(WebhookEndpointHealthOptions))
            {
                CheckKeys(child, typeof(WebhookEndpointHealthOptions), errors, isRoot: false);
            }
        }
    }

    private static WebhookSenderBuilder AddCore(IServiceCollection services)
    {
        var builder = new WebhookSenderBuilder(services, DefaultName);
        if (services.Any(d => d.ServiceType == typeof(WebhookSenderMarker)))
        {
            return builder;
        }

        services.AddSingleton<WebhookSenderMarker>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<WebhookSenderOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookSenderOptions>, WebhookSenderOptionsValidator>());

        services.TryAddSingleton<IWebhookStore>(static sp => new InMemoryWebhookStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ISubscriptionUrlValidator, SubscriptionUrlValidator>();
        services.TryAddSingleton(static sp => new SsrfBlockedLog(sp.GetService<ILogger<SsrfBlockedLog>>() ?? NullLogger<SsrfBlockedLog>.Instance));
        services.TryAddSingleton<SubscriptionMatcher>();
        services.TryAddSingleton<WebhookDispatchSignal>();
        services.TryAddSingleton(static sp => new WebhookSenderMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<RetryPolicy>();
        services.TryAddSingleton<WebhookAttemptExecutor>();
        services.TryAddSingleton<EndpointHealthMetrics>();
        services.TryAddSingleton<EndpointHealthMonitor>();
        services.TryAddSingleton<IWebhookEndpointHealth, WebhookEndpointHealth>();
        services.TryAddSingleton<IWebhookSubscriptions, WebhookSubscriptionService>();
        services.TryAddSingleton<IWebhookPublisher, WebhookPublisher>();
        services.TryAddSingleton<IWebhookDeliveries, WebhookDeliveryService>();
        services.TryAddSingleton<IWebhookEventCatalog>(static sp => new WebhookEventCatalog(sp.GetServices<WebhookEventRegistration>(), sp));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookDispatcher>());

        // The dispatcher logs every attempt itself (without the query string, which may carry credentials), so the
        // factory's per-request loggers are removed: they cost two handlers per attempt and would log the full URL.
        services.AddHttpClient(builder.Name)
            .RemoveAllLoggers()
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(WebhookHttpHandler.CreatePrimaryHandler);
        return builder;
    }

    private sealed class WebhookSenderMarker;

    private sealed class WebhookSenderBuilder(IServiceCollection services, string name) : IWebhookSenderBuilder
    {
        public IServiceCollection Services { get; } = services;

        public string Name { get; } = name;
    }
}
