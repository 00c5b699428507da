using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Receiver.PostgreSql;
using Webhooks.Receiver.PostgreSql.Internal;

namespace Webhooks.Receiver;

/// <summary>Keeps the webhook inbox in PostgreSQL.</summary>
public static class PostgreSqlWebhookInboxBuilderExtensions
{
    /// <summary>
    /// Turns on the receiver's inbox (<c>UseInbox</c>) and keeps it in PostgreSQL, shared by every instance of the app:
    /// <c>.UsePostgreSqlInbox(connectionString)</c>. One table serves every inbox receiver of the app.
    /// </summary>
    /// <param name="builder">The receiver builder.</param>
    /// <param name="connectionString">The connection string.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder UsePostgreSqlInbox(this IWebhookReceiverBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return UsePostgreSqlInbox(builder, o => o.ConnectionString = connectionString);
    }

    /// <summary>
    /// Turns on the receiver's inbox and keeps it in PostgreSQL, with the store's options configured in code. Without a
    /// connection string or data source in the options, the <see cref="NpgsqlDataSource"/> registered in the services is used.
    /// </summary>
    /// <param name="builder">The receiver builder.</param>
    /// <param name="configure">Configures the store.</param>
    /// <returns>The builder.</returns>
    public static IWebhookReceiverBuilder UsePostgreSqlInbox(this IWebhookReceiverBuilder builder, Action<PostgreSqlWebhookInboxOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<PostgreSqlWebhookInboxOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlWebhookInboxOptions>, PostgreSqlWebhookInboxOptionsValidator>());
        services.TryAddSingleton<PostgreSqlInboxDataSource>();
        services.TryAddSingleton(static sp => new PostgreSqlWebhookInboxStore(
            sp.GetRequiredService<PostgreSqlInboxDataSource>().DataSource, sp.GetRequiredService<IOptions<PostgreSqlWebhookInboxOptions>>().Value));
        return builder.UseInboxStore(static sp => sp.GetRequiredService<PostgreSqlWebhookInboxStore>());
    }
}
