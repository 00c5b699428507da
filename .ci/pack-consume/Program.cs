// The README's quick start, built by .ci/pack-consume.sh against the packed NuGet packages (not project
// references): one app that sends a webhook to itself and verifies it. The README copies the regions below.
using Webhooks.Core;
using Webhooks.Core.Events;
using Webhooks.Receiver;
using Webhooks.Sender;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Subscriptions;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
var secret = WebhookSecret.Generate();

// #region sender
builder.Services.AddWebhookSender(o =>
    {
        // This app sends to itself on loopback, which the SSRF guard refuses unless allowed explicitly.
        o.Ssrf.AllowedNetworks.Add("127.0.0.0/8");
        o.Ssrf.RequireHttps = false;
    })
    .UseSqlite("Data Source=webhooks.db");
// #endregion sender

// #region receiver
builder.Services.AddWebhookReceiver(o => o.Secrets.Add(secret.RevealEncoded()))
    .AddHandler<OrderCreated, OrderCreatedHandler>();
// #endregion receiver
builder.Services.AddSingleton<Received>();

var app = builder.Build();
// #region map
app.MapWebhookReceiver("/webhooks");
// #endregion map
await app.StartAsync();

// #region publish
var subscriptions = app.Services.GetRequiredService<IWebhookSubscriptions>();
await subscriptions.CreateAsync(new($"{app.Urls.First()}/webhooks") { EventTypes = ["order.*"], Secret = secret });

var publisher = app.Services.GetRequiredService<IWebhookPublisher>();
await publisher.PublishAsync(new OrderCreated(42));
// #endregion publish

var received = app.Services.GetRequiredService<Received>();
var orderId = await received.Order.Task.WaitAsync(TimeSpan.FromSeconds(30));
Console.WriteLine($"pack-consume: received and verified order {orderId}");
await app.StopAsync();
return orderId == 42 ? 0 : 1;

// #region handler
[WebhookEvent("order.created")]
public sealed record OrderCreated(int OrderId);

public sealed class OrderCreatedHandler(ILogger<OrderCreatedHandler> logger, Received received) : IWebhookHandler<OrderCreated>
{
    public Task HandleAsync(WebhookContext<OrderCreated> context, CancellationToken cancellationToken)
    {
        logger.LogInformation("Order {OrderId} created ({MessageId})", context.Data.OrderId, context.MessageId);
        received.Order.TrySetResult(context.Data.OrderId);
        return Task.CompletedTask;
    }
}
// #endregion handler

public sealed class Received
{
    public TaskCompletionSource<int> Order { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
