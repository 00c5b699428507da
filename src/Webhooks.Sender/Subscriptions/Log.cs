using Microsoft.Extensions.Logging;

namespace Webhooks.Sender.Subscriptions;

internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Created webhook subscription {SubscriptionId} for tenant {TenantId} to host {Host}.")]
    public static partial void SubscriptionCreated(ILogger logger, string subscriptionId, string? tenantId, string host);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Updated webhook subscription {SubscriptionId}.")]
    public static partial void SubscriptionUpdated(ILogger logger, string subscriptionId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Deleted webhook subscription {SubscriptionId}.")]
    public static partial void SubscriptionDeleted(ILogger logger, string subscriptionId);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Webhook subscription {SubscriptionId} is now {State}.")]
    public static partial void SubscriptionStateChanged(ILogger logger, string subscriptionId, string state);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Rotated the secret of webhook subscription {SubscriptionId}; the previous secrets sign until {OverlapEnd}.")]
    public static partial void SecretRotated(ILogger logger, string subscriptionId, DateTimeOffset overlapEnd);
}
