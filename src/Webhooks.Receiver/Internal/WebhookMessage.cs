using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver.Internal;

/// <summary>The verified message's facts, shared by every handler of one request.</summary>
internal sealed record WebhookMessage(HttpContext HttpContext, string ReceiverName, string MessageId, string EventType, DateTimeOffset? Timestamp, ReadOnlyMemory<byte> RawBody);
