// The quick start: a webhook sender and a webhook receiver in one process, talking over loopback.
//
//   dotnet run --project samples/Webhooks.Samples.Quickstart
//
// The receiver is an ASP.NET Core app with two endpoints that verify Standard Webhooks signatures and
// hand each event to a typed handler. The sender keeps its subscriptions, messages and delivery log in
// a SQLite file, creates two subscriptions, publishes a few events and delivers them. The billing
// endpoint is down for its first requests (503), so its delivery is retried until the endpoint
// recovers. At the end the sample prints the delivery log and exits with 0 (1 if anything failed or
// did not finish within 30 seconds).
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Webhooks.Core;
using Webhooks.Receiver;
using Webhooks.Samples.Quickstart;
using Webhooks.Sender;
using Webhooks.Sender.Delivery;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;

var transcript = new Transcript();
var directory = Directory.CreateTempSubdirectory("webhooks-quickstart-");
try
{
    return await RunAsync(transcript, Path.Combine(directory.FullName, "webhooks.db"));
}
finally
{
    directory.Delete(recursive: true);
}

static async Task<int> RunAsync(Transcript transcript, string databasePath)
{
    Console.WriteLine("Webhooks for .NET: quick start (a sender and a receiver on loopback)");

    // One secret, shared by the sender's subscriptions and the receiver. A real sender generates one per
    // subscription (CreateAsync does when you pass none) and hands it to the endpoint's owner.
    var secret = WebhookSecret.Generate();

    // ---- The receiver: an ASP.NET Core app on a free loopback port. ----
    var receiverBuilder = WebApplication.CreateSlimBuilder();
    receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
    QuietLogs(receiverBuilder.Logging);
    receiverBuilder.Services.AddSingleton(transcript);
    receiverBuilder.Services.AddWebhookReceiver(o => o.Secrets.Add(secret.RevealEncoded()))
        .AddHandler<OrderCreated, OrderCreatedHandler>()
        .AddHandler<OrderShipped, OrderShippedHandler>()
        .AddHandler<InvoicePaid, InvoicePaidHandler>();

    await using var receiver = receiverBuilder.Build();

    // The billing endpoint is "down" for its first requests: they get 503 before reaching the receiver.
    var billingRequests = 0;
    receiver.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments(Endpoints.BillingPath)
            && Interlocked.Increment(ref billingRequests) is var n && n <= Endpoints.BillingOutage)
        {
            transcript.Timed("billing", $"answered 503 Service Unavailable (simulated outage, request {n} of {Endpoints.BillingOutage})");
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        await next(context);
    });
    receiver.MapWebhookReceiver(Endpoints.OrdersPath);
    receiver.MapWebhookReceiver(Endpoints.BillingPath);
    await receiver.StartAsync();
    var receiverUrl = receiver.Urls.First();

    // ---- The sender: a generic host with the delivery engine on a SQLite file. ----
    var senderBuilder = Host.CreateApplicationBuilder();
    QuietLogs(senderBuilder.Logging);
    senderBuilder.Services.AddWebhookSender(o =>
        {
            // A short schedule so the retries show within seconds (the default is 5 s, 5 min, 30 min, 2 h, ...).
            o.RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)];
            o.RetryJitter = 0;

            // The SSRF guard refuses loopback and private addresses, so that a subscriber cannot make the sender
            // call into its own network. This sample's receiver IS on loopback, so it allows 127.0.0.0/8 explicitly,
            // over plain http. Do not copy these two lines into a sender that serves untrusted subscribers.
            o.Ssrf.AllowedNetworks.Add("127.0.0.0/8");
            o.Ssrf.RequireHttps = false;
        })
        .UseSqlite($"Data Source={databasePath}");

    using var sender = senderBuilder.Build();
    await sender.StartAsync();

    transcript.Line($"receiver  listening on {receiverUrl}");
    transcript.Line($"sender    SQLite store {databasePath}; retries after 1 s, 2 s, 2 s");

    // ---- Subscriptions ----
    var subscriptions = sender.Services.GetRequiredService<IWebhookSubscriptions>();
    var orders = await subscriptions.CreateAsync(new(receiverUrl + Endpoints.OrdersPath) { EventTypes = ["order.*"], Secret = secret });
    var billing = await subscriptions.CreateAsync(new(receiverUrl + Endpoints.BillingPath) { EventTypes = ["invoice.*"], Secret = secret });
    transcript.Heading("Subscriptions");
    transcript.Line($"{orders.Id}  {orders.Url}   order.*");
    transcript.Line($"{billing.Id}  {billing.Url}  invoice.*  (down for its first {Endpoints.BillingOutage} requests)");

    // ---- Publish ----
    var publisher = sender.Services.GetRequiredService<IWebhookPublisher>();
    transcript.Heading("Deliveries, as the receiver sees them");
    string[] messageIds =
    [
        await publisher.PublishAsync(new OrderCreated(1001, "Ada Lovelace", 42.50m)),
        await publisher.PublishAsync(new OrderCreated(1002, "Alan Turing", 17.00m)),
        await publisher.PublishAsync(new OrderShipped(1001, "DHL")),
        await publisher.PublishAsync(new InvoicePaid("inv_7", 42.50m)),
    ];

    // ---- Wait until every delivery has ended, then print the delivery log. ----
    var deliveries = sender.Services.GetRequiredService<IWebhookDeliveries>();
    var ended = await DeliveryLog.WaitForAllAsync(deliveries, messageIds, TimeSpan.FromSeconds(30));
    if (ended is null)
    {
        Console.WriteLine();
        Console.WriteLine("Timed out: not every delivery ended within 30 seconds.");
        return 1;
    }

    transcript.Heading("Delivery log (IWebhookDeliveries)");
    await DeliveryLog.PrintAsync(transcript, deliveries, ended, DeliveryLog.Names(orders, billing));

    await sender.StopAsync();
    await receiver.StopAsync();

    var failed = ended.Count(d => d.Status != WebhookDeliveryStatus.Succeeded);
    var retried = ended.Count(d => d.AttemptCount > 1);
    Console.WriteLine();
    if (failed > 0)
    {
        Console.WriteLine($"{failed} of {ended.Count} deliveries failed.");
        return 1;
    }

    Console.WriteLine($"All {ended.Count} deliveries succeeded ({retried} after retries) in {transcript.Elapsed.TotalSeconds:0.0} s.");
    return 0;
}

// Framework logs at Warning and above only, so the sample's own lines read well. The sender logs each failed
// attempt as a warning; here the transcript already shows them, so its delivery log category stays at Error.
static void QuietLogs(ILoggingBuilder logging)
{
    logging.SetMinimumLevel(LogLevel.Warning);
    logging.AddFilter("Webhooks.Sender.Delivery", LogLevel.Error);
}
