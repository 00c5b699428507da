// Built by .ci/trim-check.sh with PublishTrimmed: a receiver app on Webhooks.Core and Webhooks.Receiver, with
// source-generated JSON. Any trim warning (ILxxxx) fails the check.
using System.Text.Json.Serialization;
using Webhooks.Core;
using Webhooks.Core.Events;
using Webhooks.Receiver;

var builder = WebApplication.CreateSlimBuilder(args);
var secret = WebhookSecret.Generate();
builder.Services.AddWebhookReceiver(o =>
    {
        o.Secrets.Add(secret.RevealEncoded());
        o.JsonSerializerOptions = WebhookReceiverOptions.DefaultJsonSerializerOptions(WebhookReceiverScheme.StandardWebhooks);
        o.JsonSerializerOptions.TypeInfoResolverChain.Insert(0, TrimCheckJson.Default);
    })
    .AddHandler<OrderCreated, OrderCreatedHandler>();

var app = builder.Build();
app.MapWebhookReceiver("/webhooks");

var body = "{\"type\":\"order.created\",\"data\":{\"orderId\":1}}"u8.ToArray();
var signature = StandardWebhook.Sign(secret, "msg_1", 1_700_000_000, body);
var verified = new StandardWebhookVerifier([secret]) { CheckTimestamp = false }.Verify("msg_1", "1700000000", signature, body).IsValid;
Console.WriteLine(verified ? "trim-check: signed and verified" : "trim-check: verification failed");
return verified ? 0 : 1;

[WebhookEvent("order.created")]
public sealed record OrderCreated(int OrderId);

public sealed class OrderCreatedHandler : IWebhookHandler<OrderCreated>
{
    public Task HandleAsync(WebhookContext<OrderCreated> context, CancellationToken cancellationToken) => Task.CompletedTask;
}

[JsonSerializable(typeof(OrderCreated))]
internal sealed partial class TrimCheckJson : JsonSerializerContext;
