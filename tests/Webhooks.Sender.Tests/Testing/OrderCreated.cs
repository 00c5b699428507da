using Webhooks.Core.Events;

namespace Webhooks.Sender.Tests.Testing;

[WebhookEvent("order.created")]
public sealed record OrderCreated(int OrderId);
