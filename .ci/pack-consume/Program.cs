// The README's quick start, built by .ci/pack-consume.sh against the packed NuGet packages (not project
// references): one app that sends a webhook to itself and verifies it. The README copies the regions below.
// #region usings
using Webhooks.Core;
using Webhooks.Core.Events;
using Webhooks.Receiver;
using Webhooks.Sender;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Subscriptions;
// #endregion usings
using Webhooks.Dashboard;
using Webhooks.Sender.Delivery;
using Webhooks.Sender.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");

// #region sender
// The endpoint's signing secret. This app sends to itself, so both sides share it; a real receiver reads
// the whsec_ string its sender gave it from configuration.
var secret = WebhookSecret.Generate();

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

// The operator dashboard's forms carry antiforgery tokens.
builder.Services.AddAntiforgery();

var app = builder.Build();
// Local requests only until RequireAuthorization(...) is chained.
app.MapWebhookDashboard("/dashboard");
// #region map
app.MapWebhookReceiver("/webhooks");
await app.StartAsync(); // the server's address is known once it has started
// #endregion map

// #region publish
var subscriptions = app.Services.GetRequiredService<IWebhookSubscriptions>();
await subscriptions.CreateAsync(new($"{app.Urls.First()}/webhooks") { EventTypes = ["order.*"], Secret = secret });

var publisher = app.Services.GetRequiredService<IWebhookPublisher>();
string messageId = await publisher.PublishAsync(new OrderCreated(42));
// #endregion publish

// The delivery succeeds once the receiver has verified the request and the handler has run (a 2xx).
var deliveries = app.Services.GetRequiredService<IWebhookDeliveries>();
for (var i = 0; i < 300; i++)
{
    var page = await deliveries.ListDeliveriesAsync(new() { MessageId = messageId });
    if (page.Items is [{ Status: WebhookDeliveryStatus.Succeeded }])
    {
        Console.WriteLine($"pack-consume: message {messageId} delivered and verified");
        using var http = new HttpClient();
        var html = await http.GetStringAsync($"{app.Urls.First()}/dashboard/messages/{messageId}");
        if (!html.Contains("order.created", StringComparison.Ordinal))
        {
            Console.WriteLine("pack-consume: the dashboard page does not show the message");
            return 1;
        }

        Console.WriteLine($"pack-consume: dashboard shows {messageId} at /dashboard");
        await app.StopAsync();
        return 0;
    }

    await Task.Delay(100);
}

Console.WriteLine($"pack-consume: message {messageId} was not delivered within 30 s");
return 1;

// #region handler
[WebhookEvent("order.created")]
public sealed record OrderCreated(int OrderId);

public sealed class OrderCreatedHandler(ILogger<OrderCreatedHandler> logger) : IWebhookHandler<OrderCreated>
{
    public Task HandleAsync(WebhookContext<OrderCreated> context, CancellationToken cancellationToken)
    {
        logger.LogInformation("Order {OrderId} created ({MessageId})", context.Data.OrderId, context.MessageId);
        return Task.CompletedTask;
    }
}
// #endregion handler
