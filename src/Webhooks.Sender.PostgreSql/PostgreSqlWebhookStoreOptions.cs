using Npgsql;

namespace Webhooks.Sender.PostgreSql;

/// <summary>Options of the PostgreSQL webhook store.</summary>
public sealed class PostgreSqlWebhookStoreOptions
{
    /// <summary>The configuration section the options are usually bound from: <c>Webhooks:Sender:PostgreSql</c>.</summary>
    public const string SectionName = "Webhooks:Sender:PostgreSql";

    /// <summary>The default schema: <c>webhooks</c>.</summary>
    public const string DefaultSchema = "webhooks";

    /// <summary>
    /// Gets or sets the connection string. Ignored when <see cref="DataSource"/> is set or when the store uses an
    /// <see cref="NpgsqlDataSource"/> from the container.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the data source to use instead of <see cref="ConnectionString"/>. The store does not dispose it.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>
    /// Gets or sets the schema that holds the store's tables. It is created, and upgraded, when the store starts.
    /// Lower-case letters, digits and underscores, starting with a letter or underscore, at most 63 characters.
    /// </summary>
    /// <value>The default is <c>webhooks</c>.</value>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>
    /// Gets or sets a value indicating whether the store creates and upgrades its schema when it starts. Turn it off
    /// when a deployment step applies the schema; the store then checks that the schema is at the expected version.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether this process listens for <c>NOTIFY</c> from other instances, so an idle
    /// dispatcher wakes as soon as any instance publishes instead of at its next poll.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ListenForNotifications { get; set; } = true;

    /// <summary>Gets or sets how long to wait before listening again after the listening connection broke.</summary>
    /// <value>The default is 2 seconds.</value>
    public TimeSpan ListenReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Gets or sets how long succeeded messages (with their deliveries and attempts) are kept. Failed deliveries are
    /// kept until they are recovered or purged explicitly. <see langword="null"/> keeps everything.
    /// </summary>
    /// <value>The default is 7 days.</value>
    public TimeSpan? SucceededRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets how often the retention purge runs.</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the most messages one purge statement deletes; a run repeats until less is left.</summary>
    /// <value>The default is 500.</value>
    public int RetentionBatchSize { get; set; } = 500;

    /// <summary>
    /// Gets or sets the pause between two purge batches, so that claims and completions get the database (on SQLite,
    /// its one writer) between them. Zero yields to other work without waiting.
    /// </summary>
    /// <value>The default is zero.</value>
    public TimeSpan RetentionBatchPause { get; set; }

    /// <summary>
    /// Gets or sets the most messages one purge run deletes; the rest waits for the next run. <see langword="null"/>
    /// purges until nothing eligible is left, which keeps up with any sustained rate the store can write (see the
    /// retention capacity in docs/stores.md).
    /// </summary>
    /// <value>The default is <see langword="null"/> (no limit).</value>
    public int? RetentionMaxPerRun { get; set; }
}
