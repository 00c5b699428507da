using Microsoft.Extensions.Logging;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Delivery;

internal static partial class Log
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Webhook dispatcher {Owner} started.")]
    public static partial void DispatcherStarted(ILogger logger, string owner);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Webhook dispatcher {Owner} stopped; {Released} unfinished attempts were handed back to the store.")]
    public static partial void DispatcherStopped(ILogger logger, string owner, int released);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "Webhook dispatcher could not read the store; retrying in {Delay}.")]
    public static partial void StoreFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Debug, Message = "Webhook delivery {DeliveryId} of message {MessageId} to subscription {SubscriptionId} succeeded on attempt {Attempt} with HTTP {StatusCode}.")]
    public static partial void AttemptSucceeded(ILogger logger, string deliveryId, string messageId, string subscriptionId, int attempt, int? statusCode);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} to subscription {SubscriptionId} failed attempt {Attempt} ({Error}, HTTP {StatusCode}); retrying at {NextAttemptAt}.")]
    public static partial void AttemptWillRetry(ILogger logger, string deliveryId, string subscriptionId, int attempt, WebhookAttemptError error, int? statusCode, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} of message {MessageId} to subscription {SubscriptionId} failed: {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string deliveryId, string messageId, string subscriptionId, string reason);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} was claimed again elsewhere before its outcome ({Result}) was stored; the newer outcome stands.")]
    public static partial void CompletionRejected(ILogger logger, string deliveryId, WebhookCompletionResult result);

    [LoggerMessage(EventId = 1308, Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId}: storing the outcome failed; the delivery will be retried when its lease expires.")]
    public static partial void CompletionFailed(ILogger logger, Exception exception, string deliveryId);

    [LoggerMessage(EventId = 1309, Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId}: the attempt failed unexpectedly.")]
    public static partial void AttemptCrashed(ILogger logger, Exception exception, string deliveryId);
}
