using Webhooks.Receiver;

namespace Webhooks.Samples.Quickstart;

/// <summary>Prints each verified <c>order.created</c>.</summary>
internal sealed class OrderCreatedHandler(Transcript transcript) : IWebhookHandler<OrderCreated>
{
    public Task HandleAsync(WebhookContext<OrderCreated> context, CancellationToken cancellationToken)
    {
        transcript.Received(context, $"order {context.Data.OrderId} for {context.Data.Customer}, {context.Data.Total:0.00} EUR");
        return Task.CompletedTask;
    }
}

/// <summary>Prints each verified <c>order.shipped</c>.</summary>
internal sealed class OrderShippedHandler(Transcript transcript) : IWebhookHandler<OrderShipped>
{
    public Task HandleAsync(WebhookContext<OrderShipped> context, CancellationToken cancellationToken)
    {
        transcript.Received(context, $"order {context.Data.OrderId} shipped with {context.Data.Carrier}");
        return Task.CompletedTask;
    }
}

/// <summary>Prints each verified <c>invoice.paid</c>.</summary>
internal sealed class InvoicePaidHandler(Transcript transcript) : IWebhookHandler<InvoicePaid>
{
    public Task HandleAsync(WebhookContext<InvoicePaid> context, CancellationToken cancellationToken)
    {
        transcript.Received(context, $"invoice {context.Data.InvoiceId} paid, {context.Data.Amount:0.00} EUR");
        return Task.CompletedTask;
    }
}
