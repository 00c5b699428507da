using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Webhooks.LoadHarness.Load;

/// <summary>A Kestrel app on 127.0.0.1, on a port the OS picks, with logging below warnings off.</summary>
internal static class LoopbackHost
{
    public static WebApplicationBuilder CreateBuilder()
    {
        // No file watching: a config reload watcher on the working directory would see every write there (builds, the
        // SQLite store's file) and take CPU from the candidates.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.AddServerHeader = false;
        });
        return builder;
    }

    public static async Task<Uri> StartAsync(WebApplication app)
    {
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Uri(address);
    }
}
