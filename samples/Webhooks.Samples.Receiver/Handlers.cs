using System.Text.Json;
using Webhooks.Receiver;

namespace Webhooks.Samples.Receiver;

/// <summary>Logs each verified <c>order.created</c>.</summary>
internal sealed partial class OrderCreatedHandler(ILogger<OrderCreatedHandler> logger) : IWebhookHandler<OrderCreated>
{
    public Task HandleAsync(WebhookContext<OrderCreated> context, CancellationToken cancellationToken)
    {
        Log(logger, context.Data.OrderId, context.Data.Customer, context.Data.Total, context.MessageId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "order.created: order {OrderId} for {Customer}, total {Total} (message {MessageId})")]
    private static partial void Log(ILogger logger, int orderId, string? customer, decimal total, string messageId);
}

/// <summary>Logs each verified <c>invoice.paid</c>.</summary>
internal sealed partial class InvoicePaidHandler(ILogger<InvoicePaidHandler> logger) : IWebhookHandler<InvoicePaid>
{
    public Task HandleAsync(WebhookContext<InvoicePaid> context, CancellationToken cancellationToken)
    {
        Log(logger, context.Data.InvoiceId, context.Data.Amount, context.MessageId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "invoice.paid: invoice {InvoiceId}, amount {Amount} (message {MessageId})")]
    private static partial void Log(ILogger logger, string invoiceId, decimal amount, string messageId);
}

/// <summary>Logs every other verified event with its raw JSON payload.</summary>
internal sealed partial class AnyEventHandler(ILogger<AnyEventHandler> logger) : IWebhookHandler<JsonElement>
{
    public Task HandleAsync(WebhookContext<JsonElement> context, CancellationToken cancellationToken)
    {
        Log(logger, context.EventType, context.MessageId, context.Data.GetRawText());
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{EventType} (message {MessageId}): {Payload}")]
    private static partial void Log(ILogger logger, string eventType, string messageId, string payload);
}
