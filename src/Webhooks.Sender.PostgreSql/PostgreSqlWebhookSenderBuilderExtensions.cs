using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Sender.PostgreSql;
using Webhooks.Sender.PostgreSql.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender;

/// <summary>Configures the webhook sender to keep its state in PostgreSQL.</summary>
public static class PostgreSqlWebhookSenderBuilderExtensions
{
    /// <summary>
    /// Uses the PostgreSQL store with the <see cref="NpgsqlDataSource"/> registered in the container (for example by
    /// <c>AddNpgsqlDataSource</c>), in the <c>webhooks</c> schema.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder UsePostgreSql(this IWebhookSenderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UsePostgreSql(static _ => { });
    }

    /// <summary>Uses the PostgreSQL store on the database of <paramref name="connectionString"/>, in the <c>webhooks</c> schema.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The connection string, for example <c>Host=db;Database=app;Username=app;Password=...</c>.</param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder UsePostgreSql(this IWebhookSenderBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgreSql(o => o.ConnectionString = connectionString);
    }

    /// <summary>Uses the PostgreSQL store, binding the options from configuration (for example the <c>Webhooks:Sender:PostgreSql</c> section).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The configuration section holding <see cref="PostgreSqlWebhookStoreOptions"/> values.</param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder UsePostgreSql(this IWebhookSenderBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.UsePostgreSql(configuration.Bind);
    }

    /// <summary>
    /// Uses the PostgreSQL store configured in code. The database is, in this order, <see cref="PostgreSqlWebhookStoreOptions.DataSource"/>,
    /// <see cref="PostgreSqlWebhookStoreOptions.ConnectionString"/>, or the <see cref="NpgsqlDataSource"/> registered in the container.
    /// The options are validated, and the schema created or upgraded, when the host starts.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder UsePostgreSql(this IWebhookSenderBuilder builder, Action<PostgreSqlWebhookStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<PostgreSqlWebhookStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlWebhookStoreOptions>, PostgreSqlValidatorWithServices>());
        services.TryAddSingleton<PostgreSqlDataSourceProvider>();
        services.TryAddSingleton(static sp => new PostgreSqlWebhookStore(
            sp.GetRequiredService<PostgreSqlDataSourceProvider>().DataSource,
            sp.GetRequiredService<IOptions<PostgreSqlWebhookStoreOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<PostgreSqlWebhookStore>>()));
        services.Replace(ServiceDescriptor.Singleton<IWebhookStore>(static sp => sp.GetRequiredService<PostgreSqlWebhookStore>()));
        services.Replace(ServiceDescriptor.Singleton<IWebhookStoreRetention>(static sp => sp.GetRequiredService<PostgreSqlWebhookStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgreSqlWebhookStoreService>());
        return builder;
    }

    /// <summary>Knows whether the container has a data source, so a missing connection string is only an error when there is none.</summary>
    private sealed class PostgreSqlValidatorWithServices(IServiceProvider services) : IValidateOptions<PostgreSqlWebhookStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, PostgreSqlWebhookStoreOptions options) =>
            new PostgreSqlWebhookStoreOptionsValidator { DataSourceFromServices = services.GetService<NpgsqlDataSource>() is not null }.Validate(name, options);
    }
}
