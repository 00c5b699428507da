using Webhooks.Core.Events;
using Webhooks.Core;

namespace Webhooks.Samples.Receiver;

/// <summary>An order was placed.</summary>
[WebhookEvent("order.created")]
internal sealed record OrderCreated(int OrderId, string? Customer, decimal Total);

/// <summary>An invoice was paid.</summary>
[WebhookEvent("invoice.paid")]
internal sealed record InvoicePaid(string InvoiceId, decimal Amount);
