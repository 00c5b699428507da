using Microsoft.Extensions.Logging;

namespace Webhooks.Sender.Publishing;

internal static partial class Log
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Debug, Message = "Published webhook message {MessageId} ({EventType}, tenant {TenantId}) to {SubscriptionCount} subscriptions.")]
    public static partial void Published(ILogger logger, string messageId, string eventType, string? tenantId, int subscriptionCount);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Webhook publish of {EventType} for tenant {TenantId} repeated idempotency key; returning message {MessageId}.")]
    public static partial void DuplicatePublish(ILogger logger, string eventType, string? tenantId, string messageId);
}
