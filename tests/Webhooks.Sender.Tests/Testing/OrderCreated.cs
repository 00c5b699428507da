using Webhooks.Core.Events;
using Webhooks.Core;

namespace Webhooks.Sender.Tests.Testing;

[WebhookEvent("order.created")]
public sealed record OrderCreated(int OrderId);
