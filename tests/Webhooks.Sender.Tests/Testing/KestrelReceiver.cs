using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhooks.Core;

namespace Webhooks.Sender.Tests.Testing;

/// <summary>What the receiver saw: which endpoint, the webhook id, whether the signature verified, and what it answered.</summary>
internal sealed record Arrival(string Endpoint, string? MessageId, bool Verified, int Status, byte[] Body, string? TraceParent);

/// <summary>
/// A real Kestrel server on 127.0.0.1 (port 0) with endpoints <c>/hooks/{name}</c>. Every request is verified with the
/// Core verifier against the endpoint's secret; the answer comes from <see cref="Behavior"/>.
/// </summary>
internal sealed class KestrelReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, StandardWebhookVerifier> _verifiers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Endpoint, string? Id), int> _attemptsPerMessage = new();
    private readonly object _waitersLock = new();
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];

    private int _started;

    private KestrelReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<Arrival> Arrivals { get; } = new();

    /// <summary>Gets how many requests have started (including those still running).</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Gets or sets the answer for (endpoint, attempt number of this message at this endpoint, from 1); 200 by default.</summary>
    public Func<string, int, CancellationToken, Task<int>> Behavior { get; set; } = static (_, _, _) => Task.FromResult(200);

    public static async Task<KestrelReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new KestrelReceiver(app);
        app.MapPost("/hooks/{name}", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    public string Url(string name) => new Uri(BaseAddress, $"/hooks/{name}").ToString();

    public void Trust(string name, params WebhookSecret[] secrets) => _verifiers[name] = new StandardWebhookVerifier(secrets);

    /// <summary>The distinct (endpoint, message id) pairs answered 2xx.</summary>
    public HashSet<(string Endpoint, string? Id)> Delivered() =>
        [.. Arrivals.Where(a => a.Status is >= 200 and < 300).Select(a => (a.Endpoint, a.MessageId))];

    /// <summary>Completes when the condition over <see cref="Arrivals"/> holds; checked after every request.</summary>
    public Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitersLock)
        {
            if (condition())
            {
                return Task.CompletedTask;
            }

            _waiters.Add((condition, done));
        }

        return done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(string name, HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var headers = context.Request.Headers;
        string? id = headers[StandardWebhookHeaders.Id];
        var verified = _verifiers.TryGetValue(name, out var verifier)
            && verifier.Verify(id, headers[StandardWebhookHeaders.Timestamp], headers[StandardWebhookHeaders.Signature], body).IsValid;
        var attempt = _attemptsPerMessage.AddOrUpdate((name, id), 1, static (_, n) => n + 1);
        Interlocked.Increment(ref _started);
        CheckWaiters();
        int status;
        try
        {
            status = await Behavior(name, attempt, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The sender gave up on this request (shutdown); it never got an answer.
            Record(new Arrival(name, id, verified, 499, body, headers.TraceParent));
            return;
        }

        Record(new Arrival(name, id, verified, status, body, headers.TraceParent));
        context.Response.StatusCode = status;
        if (status is >= 300 and < 400)
        {
            context.Response.Headers.Location = Url("redirect-target");
        }
    }

    private void Record(Arrival arrival)
    {
        Arrivals.Enqueue(arrival);
        CheckWaiters();
    }

    private void CheckWaiters()
    {
        lock (_waitersLock)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition())
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
