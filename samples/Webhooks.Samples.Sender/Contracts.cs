using Webhooks.Core;

namespace Webhooks.Samples.Sender;

/// <summary>The event the receiver sample handles; registered in the sender's event catalog, so the API shows its JSON Schema.</summary>
[WebhookEvent("order.created")]
internal sealed record OrderCreated(int OrderId, string Customer, decimal Total);
