using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Webhooks.Receiver.Tests;

/// <summary>A real ASP.NET Core app on TestServer with a fake clock and a log of handler calls.</summary>
internal sealed class ReceiverHost : IAsyncDisposable
{
    /// <summary>The fake clock's start: 2026-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;

    private ReceiverHost(WebApplication app, FakeTimeProvider time, HandlerCalls calls)
    {
        _app = app;
        Time = time;
        Calls = calls;
        Server = app.GetTestServer();
        Client = Server.CreateClient();
    }

    public FakeTimeProvider Time { get; }

    public HandlerCalls Calls { get; }

    public TestServer Server { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ReceiverHost> StartAsync(Action<IServiceCollection> configureServices, Action<WebApplication>? map = null, DateTimeOffset? now = null, FakeTimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        time ??= new FakeTimeProvider(now ?? Start);
        var calls = new HandlerCalls();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(calls);
        configureServices(builder.Services);
        var app = builder.Build();
        (map ?? (a => a.MapWebhookReceiver("/webhooks")))(app);
        await app.StartAsync();
        return new ReceiverHost(app, time, calls);
    }

    /// <summary>Sends a request built directly on the server's HttpContext (any header, any body, any declared length).</summary>
    public Task<HttpContext> SendAsync(Action<HttpContext> configure) =>
        Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Post;
            context.Request.Path = "/webhooks";
            configure(context);
        });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What the handlers saw (copied during the call: the request's objects do not outlive it).</summary>
public sealed class HandlerCalls
{
    internal ConcurrentQueue<Call> All { get; } = new();

    internal int Count => All.Count;

    internal void Add(string handler, WebhookContext context, object? data) =>
        All.Enqueue(new Call(handler, context.ReceiverName, context.MessageId, context.EventType, context.Timestamp,
            context.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), data));

    internal sealed record Call(string Handler, string ReceiverName, string MessageId, string EventType, DateTimeOffset? Timestamp, Dictionary<string, string> Headers, object? Data);
}

/// <summary>A test payload: <c>order.created</c>.</summary>
[Webhooks.Core.WebhookEvent("order.created")]
public sealed record OrderCreated(int OrderId, string? Customer = null);

/// <summary>A test payload: <c>order.shipped</c>.</summary>
[Webhooks.Core.WebhookEvent("order.shipped")]
public sealed record OrderShipped(int OrderId);

/// <summary>Records each call.</summary>
public sealed class RecordingOrderHandler(HandlerCalls calls) : IWebhookHandler<OrderCreated>
{
    internal HandlerCalls Calls { get; } = calls;

    public Task HandleAsync(WebhookContext<OrderCreated> context, CancellationToken cancellationToken)
    {
        Calls.Add(nameof(RecordingOrderHandler), context, context.Data);
        return Task.CompletedTask;
    }
}

internal static class TestBodies
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Envelope(string type, string data) =>
        Utf8($$"""{"type":"{{type}}","timestamp":"2026-01-01T00:00:00Z","data":{{data}}}""");
}
