using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Webhooks.Receiver.Sqlite;
using Webhooks.Receiver.Sqlite.Internal;

namespace Webhooks.Receiver;

/// <summary>Keeps the webhook inbox in a SQLite file.</summary>
public static class SqliteWebhookInboxBuilderExtensions
{
    /// <summary>
    /// Turns on the receiver's inbox (<c>UseInbox</c>) and keeps it in a SQLite file:
    /// <c>.UseSqliteInbox("Data Source=inbox.db")</c>. One file serves every inbox receiver of the app.
    /// </summary>
    /// <param name="builder">The receiver builder.</param>
    /// <param name="connectionString">The SQLite connection string; its <c>Data Source</c> is the file.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder UseSqliteInbox(this IWebhookReceiverBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return UseSqliteInbox(builder, o => o.ConnectionString = connectionString);
    }

    /// <summary>Turns on the receiver's inbox and keeps it in a SQLite file, with the store's options configured in code.</summary>
    /// <param name="builder">The receiver builder.</param>
    /// <param name="configure">Configures the store; <see cref="SqliteWebhookInboxOptions.ConnectionString"/> is required.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder UseSqliteInbox(this IWebhookReceiverBuilder builder, Action<SqliteWebhookInboxOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<SqliteWebhookInboxOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteWebhookInboxOptions>, SqliteWebhookInboxOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new SqliteWebhookInboxStore(sp.GetRequiredService<IOptions<SqliteWebhookInboxOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        return builder.UseInboxStore(static sp => sp.GetRequiredService<SqliteWebhookInboxStore>());
    }
}
