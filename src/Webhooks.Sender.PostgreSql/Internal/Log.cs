using Microsoft.Extensions.Logging;

namespace Webhooks.Sender.PostgreSql.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Webhook store schema {Schema} migrated from version {From} to {To}.")]
    public static partial void SchemaMigrated(ILogger logger, string schema, int from, int to);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Debug, Message = "Webhook store listening for notifications for schema {Schema}.")]
    public static partial void Listening(ILogger logger, string schema);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "Webhook store lost its notification connection; listening again in {Delay}.")]
    public static partial void ListenFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Error, Message = "A DeliveriesDue handler of the webhook store threw.")]
    public static partial void WakeHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Information, Message = "Webhook store retention purged {Count} succeeded messages older than {Before}.")]
    public static partial void Purged(ILogger logger, long count, DateTimeOffset before);

    [LoggerMessage(EventId = 1605, Level = LogLevel.Error, Message = "Webhook store retention failed; trying again in {Delay}.")]
    public static partial void PurgeFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 1606, Level = LogLevel.Warning, Message = "Webhook store refused the response data of delivery {DeliveryId} (SQLSTATE {SqlState}); its outcome was stored without the excerpt, headers and error message.")]
    public static partial void OutcomeDataRefused(ILogger logger, Exception exception, string deliveryId, string sqlState);
}
