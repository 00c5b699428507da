// The README's "In your app": one app that sends webhooks to itself and receives them, on SQLite. It runs as often as
// you like: the database and the endpoint's secret are kept between runs. CI builds this file against the packed
// NuGet packages and runs it twice (.ci/pack-consume.sh); the README copies the regions below verbatim.
// #region usings
using Webhooks.Core;
using Webhooks.Receiver;
using Webhooks.Sender;
// #endregion usings

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");

// #region sender
// The database lives outside the content root (ASP.NET Core watches that folder); on Linux in ~/.local/share/webhooks-app.
var data = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "webhooks-app");
Directory.CreateDirectory(data);

// The endpoint's signing secret, created on the first run and kept beside the database, whose subscription signs
// with it. This app sends to itself, so both sides share it; a real receiver reads the whsec_ string its sender
// gave it from configuration.
var secretFile = Path.Combine(data, "endpoint-secret.txt");
if (!File.Exists(secretFile))
{
    File.WriteAllText(secretFile, WebhookSecret.Generate().RevealEncoded());
}

var secret = WebhookSecret.Parse(File.ReadAllText(secretFile).Trim());

builder.Services.AddWebhookSender(o =>
    {
        // This app sends to itself on loopback, which the SSRF guard refuses unless allowed explicitly.
        o.Ssrf.AllowedNetworks.Add("127.0.0.0/8");
        o.Ssrf.RequireHttps = false;
    })
    .UseSqlite($"Data Source={Path.Combine(data, "webhooks.db")}");
// #endregion sender

// #region receiver
builder.Services.AddWebhookReceiver(o => o.Secrets.Add(secret.RevealEncoded()))
    .AddHandler<OrderCreated, OrderCreatedHandler>();
// #endregion receiver

var app = builder.Build();
// #region map
app.MapWebhookReceiver("/webhooks");
await app.StartAsync(); // the server's address is known once it has started
// #endregion map

// #region publish
// The app's own subscription: created on the first run, found again on later ones (and pointed at this run's port).
var subscriptions = app.Services.GetRequiredService<IWebhookSubscriptions>();
var endpoint = new Uri($"{app.Urls.First()}/webhooks");
var self = (await subscriptions.ListAsync()).Items.FirstOrDefault(s => s.Description == "self");
if (self is null)
{
    await subscriptions.CreateAsync(new(endpoint) { EventTypes = ["order.*"], Secret = secret, Description = "self" });
}
else if (self.Url != endpoint)
{
    await subscriptions.UpdateAsync(self.Id, new() { Url = endpoint });
}

var publisher = app.Services.GetRequiredService<IWebhookPublisher>();
string messageId = await publisher.PublishAsync(new OrderCreated(42));
// #endregion publish

// The delivery succeeds once the receiver has verified the request and the handler has run (a 2xx).
var deliveries = app.Services.GetRequiredService<IWebhookDeliveries>();
for (var i = 0; i < 600; i++)
{
    var page = await deliveries.ListDeliveriesAsync(new() { MessageId = messageId });
    if (page.Items is [{ Status: WebhookDeliveryStatus.Succeeded }])
    {
        Console.WriteLine($"app: message {messageId} delivered and verified");
        await app.StopAsync();
        return 0;
    }

    await Task.Delay(100);
}

Console.WriteLine($"app: message {messageId} was not delivered within 60 s");
await app.StopAsync();
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
