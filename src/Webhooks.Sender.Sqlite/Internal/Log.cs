using Microsoft.Extensions.Logging;

namespace Webhooks.Sender.Sqlite.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "SQLite webhook store {DataSource} migrated to schema version {Version} ({Description}).")]
    public static partial void Migrated(ILogger logger, string dataSource, int version, string description);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "SQLite webhook store {DataSource} is not in WAL mode (journal mode {JournalMode}); readers and the writer will block each other.")]
    public static partial void NotWal(ILogger logger, string dataSource, string journalMode);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "SQLite webhook store purged {Count} succeeded messages created before {Before}.")]
    public static partial void PurgedSucceeded(ILogger logger, long count, DateTimeOffset before);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "SQLite webhook store retention purge failed; retrying in {Delay}.")]
    public static partial void PurgeFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "SQLite webhook store refused the response data of delivery {DeliveryId} (SQLite error {ErrorCode}); its outcome was stored without the excerpt, headers and error message.")]
    public static partial void OutcomeDataRefused(ILogger logger, Exception exception, string deliveryId, int errorCode);
}
