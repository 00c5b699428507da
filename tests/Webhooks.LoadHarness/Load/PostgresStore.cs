using Webhooks.Sender;

namespace Webhooks.LoadHarness.Load;

/// <summary>Points the sender at a PostgreSQL schema.</summary>
internal static class PostgresStore
{
    /// <summary>Gets a value indicating whether this build has the PostgreSQL store (Webhooks.Sender.PostgreSql).</summary>
    public static bool Available => true;

    public static void Configure(IWebhookSenderBuilder builder, string connectionString, string schema) =>
        builder.UsePostgreSql(o =>
        {
            o.ConnectionString = connectionString;
            o.Schema = schema;
        });
}
