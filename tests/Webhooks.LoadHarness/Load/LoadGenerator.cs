using System.Diagnostics;
using System.Net;

namespace Webhooks.LoadHarness.Load;

/// <summary>
/// The in-harness load generator: <c>concurrency</c> workers share one <see cref="HttpClient"/> (one pooled connection
/// each) and send requests until <c>count</c> have been sent or the time limit passes, whichever comes first.
/// </summary>
internal static class LoadGenerator
{
    public static HttpClient CreateClient(int concurrency) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = concurrency,
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static async Task<LoadResult> RunAsync(HttpClient client, Func<int, HttpRequestMessage> createRequest, int count, int concurrency, TimeSpan limit)
    {
        using var stop = new CancellationTokenSource(limit);
        var latencies = new long[count];
        var next = -1;
        var completed = 0;
        var failed = 0;
        string? firstFailure = null;
        var start = Stopwatch.GetTimestamp();

        async Task WorkerAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= count)
                {
                    return;
                }

                using var request = createRequest(index);
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, stop.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        latencies[Interlocked.Increment(ref completed) - 1] = Stopwatch.GetTimestamp() - sent;
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstFailure, $"HTTP {(int)response.StatusCode}", null);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpRequestException ex)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstFailure, ex.Message, null);
                }
            }
        }

        var workers = new Task[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            workers[i] = Task.Run(WorkerAsync);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new(completed, failed, elapsed, Percentiles.From(latencies.AsSpan(0, completed)), firstFailure);
    }
}
