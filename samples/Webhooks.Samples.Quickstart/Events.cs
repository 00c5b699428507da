using Webhooks.Core.Events;
using Webhooks.Core;

namespace Webhooks.Samples.Quickstart;

/// <summary>An order was placed.</summary>
[WebhookEvent("order.created")]
internal sealed record OrderCreated(int OrderId, string Customer, decimal Total);

/// <summary>An order left the warehouse.</summary>
[WebhookEvent("order.shipped")]
internal sealed record OrderShipped(int OrderId, string Carrier);

/// <summary>An invoice was paid.</summary>
[WebhookEvent("invoice.paid")]
internal sealed record InvoicePaid(string InvoiceId, decimal Amount);
