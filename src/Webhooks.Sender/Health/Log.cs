using Microsoft.Extensions.Logging;

namespace Webhooks.Sender.Health;

/// <summary>Source-generated logs of endpoint health; event ids 1400-1499.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1400, EventName = "CircuitOpened", Level = LogLevel.Warning,
        Message = "Webhook endpoint of subscription {SubscriptionId} is failing; attempts to it pause for {BreakDuration}, then one probe attempt decides whether they resume. Its deliveries wait in place.")]
    public static partial void CircuitOpened(ILogger logger, string subscriptionId, TimeSpan breakDuration);

    [LoggerMessage(EventId = 1401, EventName = "CircuitClosed", Level = LogLevel.Information,
        Message = "Webhook endpoint of subscription {SubscriptionId} answered a probe; attempts to it resume.")]
    public static partial void CircuitClosed(ILogger logger, string subscriptionId);

    [LoggerMessage(EventId = 1402, EventName = "SubscriptionDisabled", Level = LogLevel.Warning,
        Message = "Webhook subscription {SubscriptionId} was disabled ({Reason}): {Description} Its pending deliveries end failed; enable it and recover them to send them again.")]
    public static partial void SubscriptionDisabled(ILogger logger, string subscriptionId, WebhookSubscriptionDisabledReason reason, string description);

    [LoggerMessage(EventId = 1403, EventName = "HealthCallbackFailed", Level = LogLevel.Error,
        Message = "The {Callback} callback threw for webhook subscription {SubscriptionId}; the sender carries on.")]
    public static partial void CallbackFailed(ILogger logger, Exception exception, string callback, string subscriptionId);

    [LoggerMessage(EventId = 1404, EventName = "DisableSkippedSuccessSeen", Level = LogLevel.Debug,
        Message = "Webhook subscription {SubscriptionId} looked failing since {FailingSince} here, but a delivery to it succeeded meanwhile (another process); it stays enabled.")]
    public static partial void DisableSkippedSuccessSeen(ILogger logger, string subscriptionId, DateTimeOffset failingSince);
}
