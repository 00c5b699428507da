namespace Webhooks.Sender.Sqlite;

/// <summary>Options of the SQLite webhook store.</summary>
public sealed class SqliteWebhookStoreOptions
{
    /// <summary>The configuration section conventionally used for these options: <c>Webhooks:Sender:Sqlite</c>.</summary>
    public const string SectionName = "Webhooks:Sender:Sqlite";

    /// <summary>
    /// Gets or sets the SQLite connection string; its <c>Data Source</c> is the database file, created when missing.
    /// The file holds the subscriptions' signing secrets: protect it like any other secret store.
    /// </summary>
    /// <value>The default is empty, which is rejected at start: set it, for example to <c>Data Source=webhooks.db</c>.</value>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets how long a statement waits for a lock held by another connection (SQLite <c>busy_timeout</c>) before
    /// failing. Within one process the store serializes its own writes, so this only matters when other processes or
    /// tools open the file.
    /// </summary>
    /// <value>The default is 5 seconds.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long messages whose deliveries all succeeded are kept (with their deliveries and attempts)
    /// before they are purged. Messages with a pending, in-flight or failed delivery are never purged by age; failed
    /// ones stay until they are recovered or purged explicitly. <see langword="null"/> keeps everything forever.
    /// </summary>
    /// <value>The default is 7 days.</value>
    public TimeSpan? SucceededRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets how often the retention purge runs while the app is up.</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how many messages one purge transaction deletes; a purge run repeats batches until nothing old is
    /// left, so other writes interleave between them. From 1 to 10000.
    /// </summary>
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
