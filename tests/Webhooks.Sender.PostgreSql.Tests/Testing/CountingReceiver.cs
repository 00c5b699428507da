using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.Sender.PostgreSql.Tests.Testing;

/// <summary>A Kestrel server on 127.0.0.1 (port 0) that answers 204 and counts each <c>webhook-id</c> it receives.</summary>
public sealed class CountingReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    private CountingReceiver(WebApplication app) => _app = app;

    public ConcurrentDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

    public string Url { get; private set; } = null!;

    public int Distinct => Counts.Count;

    public int Duplicates => Counts.Values.Sum(c => c - 1);

    public static async Task<CountingReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new CountingReceiver(app);
        app.MapPost("/hooks", (HttpRequest request) =>
        {
            receiver.Received(request.Headers["webhook-id"].ToString());
            return Results.NoContent();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hooks";
        return receiver;
    }

    /// <summary>Waits until <paramref name="count"/> distinct ids arrived (signalled by the receipts), for at most <paramref name="timeout"/>.</summary>
    public async Task WaitForDistinctAsync(int count, TimeSpan timeout)
    {
        Task arrived;
        lock (_waiters)
        {
            if (Distinct >= count)
            {
                return;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, waiter));
            arrived = waiter.Task;
        }

        try
        {
            await arrived.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Only {Distinct} of {count} webhooks arrived within {timeout}.");
        }
    }

    private void Received(string id)
    {
        Counts.AddOrUpdate(id, 1, static (_, n) => n + 1);
        lock (_waiters)
        {
            _waiters.RemoveAll(w => Distinct >= w.Count && w.Done.TrySetResult());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
