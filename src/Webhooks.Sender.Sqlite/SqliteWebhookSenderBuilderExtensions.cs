using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Sender.Sqlite;
using Webhooks.Sender.Sqlite.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender;

/// <summary>Uses the SQLite store for the webhook sender.</summary>
public static class SqliteWebhookSenderBuilderExtensions
{
    /// <summary>
    /// Stores subscriptions, messages, deliveries and attempts in a SQLite file, so undelivered webhooks survive
    /// restarts: <c>.UseSqlite("Data Source=webhooks.db")</c>. The schema is created or upgraded at start.
    /// </summary>
    /// <param name="builder">The sender builder.</param>
    /// <param name="connectionString">The SQLite connection string; its <c>Data Source</c> is the file.</param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder UseSqlite(this IWebhookSenderBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionString);
        return builder.UseSqlite(o => o.ConnectionString = connectionString);
    }

    /// <summary>Stores the sender's data in a SQLite file, binding the options from configuration (for example the <c>Webhooks:Sender:Sqlite</c> section).</summary>
    /// <param name="builder">The sender builder.</param>
    /// <param name="configuration">The configuration section holding <see cref="SqliteWebhookStoreOptions"/> values.</param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder UseSqlite(this IWebhookSenderBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.UseSqlite(configuration.Bind);
    }

    /// <summary>Stores the sender's data in a SQLite file, with options configured in code.</summary>
    /// <param name="builder">The sender builder.</param>
    /// <param name="configure">Configures the options; <see cref="SqliteWebhookStoreOptions.ConnectionString"/> is required.</param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder UseSqlite(this IWebhookSenderBuilder builder, Action<SqliteWebhookStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<SqliteWebhookStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteWebhookStoreOptions>, SqliteWebhookStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new SqliteWebhookStore(
            sp.GetRequiredService<IOptions<SqliteWebhookStoreOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<SqliteWebhookStore>>()));
        builder.UseStore(static sp => sp.GetRequiredService<SqliteWebhookStore>());
        services.Replace(ServiceDescriptor.Singleton<IWebhookStoreRetention>(static sp => sp.GetRequiredService<SqliteWebhookStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SqliteRetentionService>());
        return builder;
    }
}
