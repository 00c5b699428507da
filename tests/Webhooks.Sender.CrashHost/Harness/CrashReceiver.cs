using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhooks.Core;

namespace Webhooks.Sender.CrashHost.Harness;

/// <summary>
/// The crash tests' endpoint: Kestrel on 127.0.0.1 (port 0) at <c>/hooks/crash</c>. It counts every request by its
/// <c>webhook-id</c> and by the event's sequence number as the request arrives, verifies its signature with the Core
/// verifier, then answers 200 after <see cref="Delay"/> (so a run of deliveries takes long enough to be interrupted).
/// </summary>
public sealed class CrashReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StandardWebhookVerifier _verifier;
    private readonly ConcurrentDictionary<string, int> _byMessageId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, int> _bySeq = new();
    private readonly object _waitersLock = new();
    private readonly List<(int Distinct, TaskCompletionSource Done)> _waiters = [];
    private TaskCompletionSource _gate = NewGate(open: true);
    private int _holdAfter = int.MaxValue;
    private int _arrivals;
    private int _unverified;

    private CrashReceiver(WebApplication app, WebhookSecret secret)
    {
        _app = app;
        _verifier = new StandardWebhookVerifier([secret]);
    }

    /// <summary>Gets the endpoint URL.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>Gets or sets how long each request is held before its 200.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Gets how many requests arrived (duplicates included).</summary>
    public int Arrivals => Volatile.Read(ref _arrivals);

    /// <summary>Gets how many requests did not verify.</summary>
    public int Unverified => Volatile.Read(ref _unverified);

    /// <summary>Gets how many distinct <c>webhook-id</c> values arrived.</summary>
    public int Distinct => _byMessageId.Count;

    /// <summary>Gets, per event sequence number, how many requests carried it.</summary>
    public IReadOnlyDictionary<int, int> BySequence => new Dictionary<int, int>(_bySeq);

    /// <summary>Gets, per <c>webhook-id</c>, how many requests carried it.</summary>
    public IReadOnlyDictionary<string, int> ByMessageId => new Dictionary<string, int>(_byMessageId, StringComparer.Ordinal);

    public static async Task<CrashReceiver> StartAsync(WebhookSecret secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new CrashReceiver(app, secret);
        app.MapPost("/hooks/crash", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hooks/crash").ToString();
        return receiver;
    }

    /// <summary>
    /// Holds the answer to every request that arrives once <paramref name="distinct"/> distinct messages have (they are
    /// counted, then left hanging until <see cref="Release"/>), so a crash lands in the middle of a run however slow
    /// the machine is, with exactly the running attempts in flight.
    /// </summary>
    public void HoldAfter(int distinct)
    {
        Volatile.Write(ref _gate, NewGate(open: false));
        Volatile.Write(ref _holdAfter, distinct);
    }

    /// <summary>Answers the held requests (of a live sender) and stops holding.</summary>
    public void Release()
    {
        Volatile.Write(ref _holdAfter, int.MaxValue);
        Volatile.Read(ref _gate).TrySetResult();
    }

    /// <summary>Completes once <paramref name="distinct"/> distinct messages have arrived.</summary>
    public Task WaitForDistinctAsync(int distinct, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitersLock)
        {
            if (Distinct >= distinct)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((distinct, done));
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var headers = context.Request.Headers;
        string? id = headers[StandardWebhookHeaders.Id];
        if (!_verifier.Verify(id, headers[StandardWebhookHeaders.Timestamp], headers[StandardWebhookHeaders.Signature], body).IsValid)
        {
            Interlocked.Increment(ref _unverified);
        }

        using (var json = JsonDocument.Parse(body))
        {
            _bySeq.AddOrUpdate(json.RootElement.GetProperty("data").GetProperty("seq").GetInt32(), 1, static (_, n) => n + 1);
        }

        Interlocked.Increment(ref _arrivals);
        _byMessageId.AddOrUpdate(id ?? string.Empty, 1, static (_, n) => n + 1);
        Signal();
        try
        {
            if (Distinct > Volatile.Read(ref _holdAfter))
            {
                await Volatile.Read(ref _gate).Task.WaitAsync(context.RequestAborted);
            }

            await Task.Delay(Delay, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
        catch (OperationCanceledException)
        {
            // The sender died or gave up mid-request; the arrival is counted all the same.
        }
    }

    private static TaskCompletionSource NewGate(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            gate.TrySetResult();
        }

        return gate;
    }

    private void Signal()
    {
        lock (_waitersLock)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (Distinct >= _waiters[i].Distinct)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
