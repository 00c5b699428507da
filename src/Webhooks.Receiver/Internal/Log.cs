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
}
