using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Webhooks.Core;
using Webhooks.Sender;
using Webhooks.Sender.CrashHost;
using Webhooks.Sender.CrashHost.Harness;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;

// A sender in its own process. Protocol (stdout, one line each): "published <n>", "started", "done".
// Exit codes: 0 done (no unfinished delivery left), 1 bad arguments, 2 gave up after --max-seconds.
if (!CrashHostArguments.TryParse(args, out var arguments, out var usage))
{
    Console.Error.WriteLine(usage);
    return 1;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
var sender = builder.Services.AddWebhookSender(o =>
{
    // Short leases so a restarted host reclaims what the killed one held within seconds.
    o.LeaseDuration = TimeSpan.FromSeconds(arguments.LeaseSeconds);
    o.AttemptTimeout = TimeSpan.FromSeconds(Math.Max(1, arguments.LeaseSeconds - 1));
    o.PollInterval = TimeSpan.FromMilliseconds(200);
    o.BatchSize = arguments.BatchSize;
    o.MaxConcurrentAttempts = arguments.Concurrency;
    o.MaxConcurrentAttemptsPerEndpoint = arguments.Concurrency;
    o.RetryDelays = [.. Enumerable.Repeat(TimeSpan.FromMilliseconds(200), 20)];
    o.RetryJitter = 0;
    o.SubscriptionCacheDuration = TimeSpan.Zero;

    // The receiver is the test's Kestrel on loopback, plain http: allowed explicitly, as an app would for a local endpoint.
    o.Ssrf.AllowedNetworks.Add("127.0.0.0/8");
    o.Ssrf.RequireHttps = false;
});
StoreSelection.Apply(sender, arguments);
using var host = builder.Build();

if (arguments.Publish > 0)
{
    // Published before the dispatcher starts, so every message exists before the first delivery.
    var secret = WebhookSecret.Parse(Environment.GetEnvironmentVariable(CrashHostProtocol.SecretVariable)
        ?? throw new InvalidOperationException($"Set {CrashHostProtocol.SecretVariable} to the endpoint's whsec_ secret."));
    var subscriptions = host.Services.GetRequiredService<IWebhookSubscriptions>();
    if ((await subscriptions.ListAsync(new WebhookSubscriptionQuery { Limit = 1 })).Items.Count == 0)
    {
        await subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest(arguments.Url!) { Secret = secret, EventTypes = [CrashEvent.EventType] });
    }

    var publisher = host.Services.GetRequiredService<IWebhookPublisher>();
    for (var i = 0; i < arguments.Publish; i++)
    {
        await publisher.PublishAsync(CrashEvent.EventType, new CrashEvent(i), new WebhookPublishOptions { IdempotencyKey = $"crash-{i}" });
    }

    Console.Out.WriteLine($"{CrashHostProtocol.Published} {arguments.Publish}");
}

await host.StartAsync();
Console.Out.WriteLine(CrashHostProtocol.Started);

var store = host.Services.GetRequiredService<IWebhookStore>();
var deadline = DateTimeOffset.UtcNow.AddSeconds(arguments.MaxSeconds);
while (DateTimeOffset.UtcNow < deadline)
{
    if (await store.CountUnfinishedAsync() == 0)
    {
        Console.Out.WriteLine(CrashHostProtocol.Done);
        await host.StopAsync();
        return 0;
    }

    await Task.Delay(100);
}

Console.Error.WriteLine($"gave up after {arguments.MaxSeconds} s with {await store.CountUnfinishedAsync()} unfinished deliveries");
await host.StopAsync();
return 2;
