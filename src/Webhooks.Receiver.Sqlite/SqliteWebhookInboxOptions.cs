namespace Webhooks.Receiver.Sqlite;

/// <summary>Options of the SQLite inbox store.</summary>
public sealed class SqliteWebhookInboxOptions
{
    /// <summary>Gets or sets the SQLite connection string; its <c>Data Source</c> is the database file, created when missing.</summary>
    /// <value>The default is empty, which is rejected at start: set it, for example to <c>Data Source=inbox.db</c>.</value>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Gets or sets how long a statement waits for a lock held by another connection (SQLite <c>busy_timeout</c>).</summary>
    /// <value>The default is 5 seconds.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets a value indicating whether each write is flushed to the disk before it returns
    /// (<c>synchronous=FULL</c>), so a webhook the receiver answered survives a power loss. <see langword="false"/> uses
    /// <c>synchronous=NORMAL</c>: faster, and a process crash still loses nothing, but a power loss may lose the last
    /// accepted webhooks.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool FlushEachWrite { get; set; } = true;
}
