using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Webhooks.LoadHarness.Load;
using Webhooks.LoadHarness.Reporting;
using Webhooks.Receiver;

namespace Webhooks.LoadHarness.Scenarios;

/// <summary>
/// The pre-authentication memory probe: N connections each announce a body of the receiver's whole limit
/// (<c>Content-Length: 1048576</c>), send one byte of it and hold the connection; then a genuine GitHub-signed request
/// must still be answered. Measures the managed memory the held requests keep (live heap after a full collection),
/// for our receiver and for a bare <c>MapPost</c> that copies the body to a <see cref="MemoryStream"/>. Run it under
/// <c>DOTNET_GCHeapHardLimit</c> to see whether the process survives a container's limit.
/// </summary>
internal static class SlowBodyScenario
{
    private const string ProbeHeader = "x-probe";

    private static readonly (string Name, string Path)[] Targets =
    [
        ("MapWebhookReceiver (GitHub, MaxBodySize 1 MiB)", "/receiver"),
        ("bare MapPost, body copied to a MemoryStream", "/bare-copy"),
    ];

    public static async Task<IReadOnlyList<ResultTable>> RunAsync(HarnessOptions options, TextWriter log)
    {
        var probes = new ProbeCounter();
        var handled = 0;
        var builder = LoopbackHost.CreateBuilder();

        // Kestrel's minimum body data rate (240 B/s after a 5 s grace) would drop the held connections during the
        // measurement; off here, so what holds them is the receiver's own BodyReadTimeout (30 s by default).
        builder.WebHost.ConfigureKestrel(k => k.Limits.MinRequestBodyDataRate = null);
        builder.Services.AddWebhookReceiver("probe", o => o.UseGitHub(ReceiverEndpoints.Secret))
            .AddHandler<GitHubPullRequest>(ReceiverEndpoints.EventName, (context, _) =>
            {
                Interlocked.Add(ref handled, context.Data.Number > 0 ? 1 : 0);
                return Task.CompletedTask;
            });
        await using var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Headers.ContainsKey(ProbeHeader))
            {
                probes.Arrived();
            }

            return next(context);
        });
        app.MapWebhookReceiver("/receiver", "probe");
        app.MapPost("/bare-copy", CopyBodyAsync);
        var baseUri = await LoopbackHost.StartAsync(app).ConfigureAwait(false);

        var request = new GitHubRequest();
        using var client = LoadGenerator.CreateClient(4);
        var gc = GC.GetGCMemoryInfo();
        log.WriteLine($"probe: {options.Connections} connections per target at {baseUri}, GC limit {gc.TotalAvailableMemoryBytes / (1024 * 1024)} MiB (DOTNET_GCHeapHardLimit={Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit") ?? "unset"})");

        var table = new ResultTable(
            $"Pre-authentication memory: {options.Connections} connections announcing Content-Length {WebhookReceiverOptions.DefaultMaxBodySize} and sending 1 byte",
            "target", "held", "managed heap held MiB", "per connection KiB", "working set +MiB", "signed request", "signed ms");
        foreach (var (name, path) in Targets)
        {
            // Warm-up: JIT and Kestrel's buffers, so the baseline holds them already.
            using (var warm = await client.SendAsync(request.Create(new Uri(baseUri, path))).ConfigureAwait(false))
            {
                if (!warm.IsSuccessStatusCode)
                {
                    table.Failures.Add($"{name}: the warm-up request got HTTP {(int)warm.StatusCode}.");
                }
            }

            var result = await ProbeAsync(baseUri, path, options, probes, client, request).ConfigureAwait(false);
            log.WriteLine($"  {name}: {result.Held}/{options.Connections} held, +{result.HeapBytes / 1048576.0:F1} MiB managed, signed request {result.Status} in {result.SignedMilliseconds:F1} ms");
            table.Add(
                name,
                result.Held.ToString(CultureInfo.InvariantCulture),
                (result.HeapBytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture),
                (result.HeapBytes / 1024.0 / Math.Max(result.Held, 1)).ToString("F1", CultureInfo.InvariantCulture),
                (result.WorkingSetBytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture),
                result.Status,
                result.SignedMilliseconds.ToString("F1", CultureInfo.InvariantCulture));
            if (result.Held < options.Connections)
            {
                table.Failures.Add($"{name}: only {result.Held} of {options.Connections} probe requests reached the app within {options.Duration.TotalSeconds:F0} s.");
            }

            if (!result.Status.StartsWith('2'))
            {
                table.Failures.Add($"{name}: the signed request during the probe got {result.Status}.");
            }
        }

        if (handled == 0)
        {
            table.Failures.Add("The receiver's handler never ran for the signed requests.");
        }

        table.Notes.Add("Managed heap held: live bytes after a full collection with every probe connection open, minus the same before they opened (includes Kestrel's per-connection state and the receiver's buffer). Loopback, one process; Kestrel's MinRequestBodyDataRate off so the connections stay for the measurement.");
        table.Notes.Add($"GC heap limit during the run: {gc.TotalAvailableMemoryBytes / (1024 * 1024)} MiB.");
        await app.StopAsync().ConfigureAwait(false);
        return [table];
    }

    private static async Task<ProbeResult> ProbeAsync(Uri baseUri, string path, HarnessOptions options, ProbeCounter probes, HttpClient client, GitHubRequest request)
    {
        var before = Measure();
        var arrived = probes.Expect(options.Connections);
        var head = Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {baseUri.Authority}\r\nContent-Type: application/json\r\n"
            + $"Content-Length: {WebhookReceiverOptions.DefaultMaxBodySize}\r\n{ProbeHeader}: 1\r\n"
            + $"{Core.Schemes.GitHubWebhookSignature.EventHeader}: {ReceiverEndpoints.EventName}\r\n"
            + $"{Core.Schemes.GitHubWebhookSignature.DeliveryHeader}: probe\r\n"
            + $"{Core.Schemes.GitHubWebhookSignature.SignatureHeader}: {request.Signature}\r\n\r\n{{");
        var sockets = new List<Socket>(options.Connections);
        try
        {
            for (var i = 0; i < options.Connections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, baseUri.Port).ConfigureAwait(false);
                await socket.SendAsync(head).ConfigureAwait(false);
            }

            var held = await arrived.WaitAsync(options.Duration).ConfigureAwait(false);

            var started = Stopwatch.GetTimestamp();
            string status;
            try
            {
                using var response = await client.SendAsync(request.Create(new Uri(baseUri, path))).ConfigureAwait(false);
                status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }
            catch (HttpRequestException exception)
            {
                status = exception.Message;
            }

            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var during = Measure();
            return new ProbeResult(held, during.Heap - before.Heap, during.WorkingSet - before.WorkingSet, status, elapsed);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private static (long Heap, long WorkingSet) Measure()
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        return (heap, Environment.WorkingSet);
    }

    private static async Task CopyBodyAsync(HttpContext context)
    {
        using var copy = new MemoryStream();
        await context.Request.Body.CopyToAsync(copy, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private sealed record ProbeResult(int Held, long HeapBytes, long WorkingSetBytes, string Status, double SignedMilliseconds);

    /// <summary>Counts probe requests that reached the app; signals when the expected number has.</summary>
    private sealed class ProbeCounter
    {
        private readonly object _gate = new();
        private int _count;
        private int _target;
        private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Arrived()
        {
            lock (_gate)
            {
                if (++_count >= _target)
                {
                    _reached.TrySetResult();
                }
            }
        }

        /// <summary>Starts a count; the task gives how many arrived once all have, or when the time limit passes.</summary>
        public Waiter Expect(int target)
        {
            lock (_gate)
            {
                _count = 0;
                _target = target;
                _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return new Waiter(this, _reached.Task);
            }
        }

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _count;
                }
            }
        }

        internal sealed class Waiter(ProbeCounter counter, Task reached)
        {
            public async Task<int> WaitAsync(TimeSpan limit)
            {
                try
                {
                    await reached.WaitAsync(limit).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                }

                return counter.Count;
            }
        }
    }
}
