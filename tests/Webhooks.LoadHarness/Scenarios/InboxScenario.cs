using System.Diagnostics;
using Webhooks.LoadHarness.Load;
using Webhooks.LoadHarness.Reporting;
using Webhooks.Receiver;

namespace Webhooks.LoadHarness.Scenarios;

/// <summary>
/// The receiver inbox against the direct receiver, each candidate its own Kestrel app on 127.0.0.1 receiving the
/// GitHub-signed pull_request event. Two tables: the answer time when the handler takes 2 s (the inbox answers once the
/// webhook is stored, whatever the handler does), and the end-to-end throughput with a handler that does nothing
/// (requests answered and handled per second, from the first request to the last handler).
/// </summary>
internal static class InboxScenario
{
    private static readonly TimeSpan SlowHandler = TimeSpan.FromSeconds(2);

    public static async Task<IReadOnlyList<ResultTable>> RunAsync(HarnessOptions options, TextWriter log)
    {
        var request = new GitHubRequest();
        var directory = Directory.CreateTempSubdirectory("webhooks-inbox-harness-");
        await using var postgres = await PostgresDatabase.ProbeAsync(options.PostgresConnectionString).ConfigureAwait(false) is null
            ? await PostgresDatabase.CreateAsync(options.PostgresConnectionString).ConfigureAwait(false)
            : null;
        try
        {
            var stores = new List<(string Name, Action<IWebhookReceiverBuilder>? Use)>
            {
                ("direct (no inbox)", null),
                ("inbox, in memory", b => b.UseInbox()),
                ("inbox, SQLite (FULL sync)", b => b.UseInbox().UseSqliteInbox($"Data Source={Path.Combine(directory.FullName, Guid.NewGuid().ToString("N"))}.db")),
                ("inbox, SQLite (NORMAL sync)", b => b.UseInbox().UseSqliteInbox(o =>
                {
                    o.ConnectionString = $"Data Source={Path.Combine(directory.FullName, Guid.NewGuid().ToString("N"))}.db";
                    o.FlushEachWrite = false;
                })),
            };
            if (postgres is not null)
            {
                stores.Add(("inbox, PostgreSQL", b => b.UseInbox().UsePostgreSqlInbox(o =>
                {
                    o.ConnectionString = postgres.ConnectionString;
                    o.Schema = "inbox_" + Guid.NewGuid().ToString("N")[..12];
                })));
            }
            else
            {
                log.WriteLine("inbox: PostgreSQL not reachable, its row is left out");
            }

            // The slow handler: a few requests per worker are enough to see whether the answer waits for it.
            var slowCount = Math.Min(options.Count, options.Concurrency * 4);
            var slow = stores.Select(s => new Candidate(s.Name, () => RunOnceAsync(request, s.Use, SlowHandler, slowCount, options, waitForHandlers: false))).ToList();
            log.WriteLine($"inbox: answer time with a {SlowHandler.TotalSeconds:F0} s handler, {slowCount} requests x {options.Rounds} rounds, concurrency {options.Concurrency}");
            var slowResults = await Interleaved.RunAsync(slow, options.Rounds, log).ConfigureAwait(false);
            var slowTable = CandidateTable.Create(
                $"Inbox: answer time when the handler takes {SlowHandler.TotalSeconds:F0} s (GitHub pull_request, concurrency {options.Concurrency})", "answered", slowResults, slowResults[0], "answer");
            slowTable.Notes.Add("Rates are requests answered per second; the inbox rows answer once the webhook is stored and run the handler in the background (4 at a time).");

            var fast = stores.Select(s => new Candidate(s.Name, () => RunOnceAsync(request, s.Use, TimeSpan.Zero, options.Count, options, waitForHandlers: true))).ToList();
            log.WriteLine($"inbox: end-to-end throughput with a no-op handler, {options.Count} requests x {options.Rounds} rounds, concurrency {options.Concurrency}");
            var fastResults = await Interleaved.RunAsync(fast, options.Rounds, log).ConfigureAwait(false);
            var fastTable = CandidateTable.Create(
                $"Inbox: requests answered and handled per second, no-op handler (GitHub pull_request, concurrency {options.Concurrency})", "handled", fastResults, fastResults[0], "answer");
            fastTable.Notes.Add("Rates count from the first request to the last handler run; latencies are the answer times. The inbox's processor runs 4 handlers at a time (MaxConcurrency default).");
            return [slowTable, fastTable];
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    /// <summary>One app, one bounded run; with <paramref name="waitForHandlers"/> the run ends when every answered webhook was handled.</summary>
    private static async Task<LoadResult> RunOnceAsync(
        GitHubRequest request, Action<IWebhookReceiverBuilder>? useInbox, TimeSpan handlerTime, int count, HarnessOptions options, bool waitForHandlers)
    {
        var handled = new Counter();
        var builder = LoopbackHost.CreateBuilder();
        var receiver = builder.Services.AddWebhookReceiver(o => o.UseGitHub(ReceiverEndpoints.Secret))
            .AddHandler<GitHubPullRequest>(ReceiverEndpoints.EventName, async (_, cancellationToken) =>
            {
                if (handlerTime > TimeSpan.Zero)
                {
                    await Task.Delay(handlerTime, cancellationToken).ConfigureAwait(false);
                }

                handled.Increment();
            });
        useInbox?.Invoke(receiver);
        await using var app = builder.Build();
        app.MapWebhookReceiver("/hooks");
        var uri = new Uri(await LoopbackHost.StartAsync(app).ConfigureAwait(false), "/hooks");
        using var client = LoadGenerator.CreateClient(options.Concurrency);

        // Warm-up (JIT, connections, the store's schema), then the measured run.
        var warm = await LoadGenerator.RunAsync(client, _ => request.Create(uri), options.Concurrency, options.Concurrency, options.Duration).ConfigureAwait(false);
        var start = Stopwatch.GetTimestamp();
        var result = await LoadGenerator.RunAsync(client, _ => request.Create(uri), count, options.Concurrency, options.Duration).ConfigureAwait(false);
        if (waitForHandlers)
        {
            await handled.WaitForAsync(warm.Succeeded + result.Succeeded, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
            result = result with { Elapsed = Stopwatch.GetElapsedTime(start) };
        }

        await app.StopAsync().ConfigureAwait(false);
        return result;
    }

    /// <summary>Counts handler runs; a run can wait (with a safety bound) until a count is reached.</summary>
    private sealed class Counter
    {
        private readonly object _gate = new();
        private long _value;
        private (long Target, TaskCompletionSource Done)? _waiter;

        public long Value => Interlocked.Read(ref _value);

        public void Increment()
        {
            lock (_gate)
            {
                _value++;
                if (_waiter is { } w && _value >= w.Target)
                {
                    w.Done.TrySetResult();
                    _waiter = null;
                }
            }
        }

        public Task WaitForAsync(long target, TimeSpan bound)
        {
            lock (_gate)
            {
                if (_value >= target)
                {
                    return Task.CompletedTask;
                }

                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiter = (target, done);
                return done.Task.WaitAsync(bound);
            }
        }
    }
}
