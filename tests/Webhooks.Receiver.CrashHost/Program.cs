using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Webhooks.Receiver;
using Webhooks.Sender.CrashHost.Harness;

// A receiver with an inbox in its own process. Arguments: --store sqlite|postgres --connection <cs> [--schema <name>]
// --handled <file> [--handler-ms <n>] [--exit-when-idle]. Protocol (stdout): "listening <url>", then with
// --exit-when-idle "done" once the inbox has no pending item (exit code 0). The handler appends each message id it
// handled to the file, flushed to the disk, so the test counts what was handled across a SIGKILL.
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    options[args[i]] = args[i] == "--exit-when-idle" ? "true" : args[++i];
}

var handledPath = options["--handled"];
var handlerDelay = TimeSpan.FromMilliseconds(int.Parse(options.GetValueOrDefault("--handler-ms", "20"), System.Globalization.CultureInfo.InvariantCulture));
var handled = new FileStream(handledPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
var handledLock = new SemaphoreSlim(1, 1);

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
var receiver = builder.Services
    .AddWebhookReceiver(o => o.Secrets.Add(Environment.GetEnvironmentVariable(CrashHostProtocol.SecretVariable)!))
    .AddHandler<JsonElement>("crash.event", async (context, cancellationToken) =>
    {
        await Task.Delay(handlerDelay, cancellationToken);
        await handledLock.WaitAsync(cancellationToken);
        try
        {
            await handled.WriteAsync(Encoding.ASCII.GetBytes(context.MessageId + "\n"), cancellationToken);
            handled.Flush(flushToDisk: true);
        }
        finally
        {
            handledLock.Release();
        }
    })
    .UseInbox(o =>
    {
        // Short leases so the restarted host reclaims what the killed one held within seconds.
        o.LeaseDuration = TimeSpan.FromSeconds(2);
        o.PollInterval = TimeSpan.FromMilliseconds(100);
        o.MaxConcurrency = 4;
    });
_ = options["--store"] == "postgres"
    ? receiver.UsePostgreSqlInbox(o =>
    {
        o.ConnectionString = options["--connection"];
        o.Schema = options.GetValueOrDefault("--schema", "webhooks");
    })
    : receiver.UseSqliteInbox(options["--connection"]);

var app = builder.Build();
app.MapWebhookReceiver("/webhooks");
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.Out.WriteLine($"listening {address.TrimEnd('/')}/webhooks");

if (!options.ContainsKey("--exit-when-idle"))
{
    await app.WaitForShutdownAsync();
    return 0;
}

var inbox = app.Services.GetRequiredService<IWebhookInbox>();
using var idle = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
while (await idle.WaitForNextTickAsync())
{
    if ((await inbox.GetStatisticsAsync()).Pending == 0)
    {
        Console.Out.WriteLine(CrashHostProtocol.Done);
        await app.StopAsync();
        return 0;
    }
}

return 2;
