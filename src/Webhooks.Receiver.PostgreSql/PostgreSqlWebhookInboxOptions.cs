using Npgsql;

namespace Webhooks.Receiver.PostgreSql;

/// <summary>Options of the PostgreSQL inbox store.</summary>
public sealed class PostgreSqlWebhookInboxOptions
{
    /// <summary>The default schema: <c>webhooks</c> (the inbox's tables do not clash with the sender's).</summary>
    public const string DefaultSchema = "webhooks";

    /// <summary>Gets or sets the connection string; ignored when <see cref="DataSource"/> is set.</summary>
    /// <value>The default is <see langword="null"/>: the <see cref="NpgsqlDataSource"/> registered in the services is used.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the data source to use (the store does not dispose it).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>Gets or sets the schema of the inbox's tables: letters, digits and underscores, starting with a letter or an underscore, at most 63 characters.</summary>
    /// <value>The default is <c>webhooks</c>.</value>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>
    /// Gets or sets a value indicating whether the store creates and upgrades its tables at first use. Turn it off to run
    /// the receiver with a role that has only USAGE on the schema and DML on its tables; the store then checks the version.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool AutoMigrate { get; set; } = true;
}
