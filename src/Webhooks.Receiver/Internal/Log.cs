using Microsoft.Extensions.Logging;

namespace Webhooks.Receiver.Internal;

/// <summary>The receiver's logs. Never a secret, a signature or a body: ids, event types and outcomes only.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Webhook receiver '{ReceiverName}' handled message {MessageId} ({EventType}).")]
    public static partial void MessageHandled(ILogger logger, string receiverName, string messageId, string eventType);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Webhook receiver '{ReceiverName}' rejected a request with {StatusCode}: {Reason}.")]
    public static partial void RequestRejected(ILogger logger, string receiverName, int statusCode, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Webhook receiver '{ReceiverName}' skipped message {MessageId}: it was handled already.")]
    public static partial void DuplicateMessage(ILogger logger, string receiverName, string messageId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Webhook receiver '{ReceiverName}' deferred message {MessageId}: another request is handling it.")]
    public static partial void MessageInProgress(ILogger logger, string receiverName, string messageId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Webhook receiver '{ReceiverName}' has no handler for event type '{EventType}' (message {MessageId}); answered {StatusCode}.")]
    public static partial void UnhandledEvent(ILogger logger, string receiverName, string eventType, string messageId, int statusCode);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Webhook receiver '{ReceiverName}' could not read message {MessageId} ({EventType}) as {PayloadType} at JSON path '{JsonPath}'.")]
    public static partial void PayloadInvalid(ILogger logger, string receiverName, string messageId, string eventType, string payloadType, string? jsonPath);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Webhook receiver '{ReceiverName}': a handler failed for message {MessageId} ({EventType}); answered 500 so the sender retries.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string receiverName, string messageId, string eventType);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Webhook receiver '{ReceiverName}' rejected a request: the signature could not be verified ({Status}).")]
    public static partial void VerificationFailed(ILogger logger, string receiverName, string status);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "Webhook receiver '{ReceiverName}': the client ended the request before the body was read.")]
    public static partial void RequestAborted(ILogger logger, string receiverName);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Webhook receiver '{ReceiverName}': the idempotency store failed for message {MessageId}.")]
    public static partial void IdempotencyStoreFailed(ILogger logger, Exception exception, string receiverName, string messageId);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Webhook receiver '{ReceiverName}' received message {MessageId} whose payload names no event type (no \"type\" field), and it has no fallback handler to take it; answered {StatusCode}. Add one with AddFallbackHandler to receive such messages.")]
    public static partial void MissingEventType(ILogger logger, string receiverName, string messageId, int statusCode);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Webhook receiver '{ReceiverName}' rejected a request with 408: the body did not arrive within {Timeout} (BodyReadTimeout).")]
    public static partial void BodyTimedOut(ILogger logger, string receiverName, TimeSpan timeout);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "Webhook receiver '{ReceiverName}': its reloaded configuration is not valid; it keeps the options it had until the configuration is fixed.")]
    public static partial void ReloadedOptionsInvalid(ILogger logger, Exception exception, string receiverName);

    [LoggerMessage(EventId = 14, Level = LogLevel.Debug, Message = "Webhook receiver '{ReceiverName}' stored message {MessageId} ({EventType}) in its inbox.")]
    public static partial void MessageStored(ILogger logger, string receiverName, string messageId, string eventType);

    [LoggerMessage(EventId = 15, Level = LogLevel.Error, Message = "Webhook receiver '{ReceiverName}': the inbox store failed for message {MessageId}; answered 503 so the sender retries.")]
    public static partial void InboxStoreFailed(ILogger logger, Exception exception, string receiverName, string messageId);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "Webhook receiver '{ReceiverName}': inbox item {ItemId} (message {MessageId}, {EventType}) failed attempt {Attempt}; next attempt at {NextAttemptAt}.")]
    public static partial void InboxItemRetry(ILogger logger, Exception exception, string receiverName, long itemId, string messageId, string eventType, int attempt, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 17, Level = LogLevel.Error, Message = "Webhook receiver '{ReceiverName}': inbox item {ItemId} (message {MessageId}, {EventType}) is dead after {Attempt} attempts; replay it with IWebhookInbox.")]
    public static partial void InboxItemDead(ILogger logger, Exception exception, string receiverName, long itemId, string messageId, string eventType, int attempt);

    [LoggerMessage(EventId = 18, Level = LogLevel.Warning, Message = "Webhook receiver '{ReceiverName}': inbox item {ItemId} lost its lease before its outcome was stored; another processor owns it now.")]
    public static partial void InboxLeaseLost(ILogger logger, string receiverName, long itemId);

    [LoggerMessage(EventId = 19, Level = LogLevel.Error, Message = "Webhook receiver '{ReceiverName}': the inbox processor failed; it tries again in {Delay}.")]
    public static partial void InboxProcessorFailed(ILogger logger, Exception exception, string receiverName, TimeSpan delay);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Webhook receiver '{ReceiverName}': the inbox retention purged {Processed} processed and {Dead} dead items.")]
    public static partial void InboxPurged(ILogger logger, string receiverName, long processed, long dead);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Webhook receiver '{ReceiverName}': the inbox retention failed; it runs again in {Delay}.")]
    public static partial void InboxRetentionFailed(ILogger logger, Exception exception, string receiverName, TimeSpan delay);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Webhook receiver '{ReceiverName}' has no handler any more for inbox item {ItemId} (message {MessageId}, event type '{EventType}'); marked it processed.")]
    public static partial void InboxItemUnhandled(ILogger logger, string receiverName, long itemId, string messageId, string eventType);
}
