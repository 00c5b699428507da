using System.Text.Json.Serialization;
using Webhooks.Core;

namespace Webhooks.Management.Tests.Testing;

[WebhookEvent("order.created")]
public sealed record OrderCreated(int OrderId, string Customer, decimal Total, OrderStatus Status);

public enum OrderStatus
{
    Placed,
    Paid,
}

[WebhookEvent("invoice.paid")]
public sealed record InvoicePaid(string InvoiceId, DateTimeOffset PaidAt);

[JsonSerializable(typeof(InvoicePaid))]
internal sealed partial class TestJson : JsonSerializerContext;
