using System.Diagnostics;
using System.Globalization;
using Webhooks.LoadHarness.Load;
using Webhooks.LoadHarness.Reporting;
using Webhooks.Sender.Publishing;
using Webhooks.Sender;
using Webhooks.Sender.Storage;

namespace Webhooks.LoadHarness.Scenarios;

/// <summary>
/// Backlog scaling, for the SQLite and PostgreSQL stores: the cost of claiming a batch (and of the dispatcher's other
/// per-loop queries) with a small and a large number of pending deliveries side by side, then the sender's memory and
/// delivery rate while it works through each backlog for a bounded time.
/// </summary>
internal static class BacklogScenario
{
    private const int BatchSize = 32;

    public static async Task<IReadOnlyList<ResultTable>> RunAsync(HarnessOptions options, IReadOnlyList<string> stores, TextWriter log)
    {
        var sink = new ReceiptSink();
        var sinkBuilder = LoopbackHost.CreateBuilder();
        await using var sinkApp = sinkBuilder.Build();
        sink.Map(sinkApp, "/sink");
        var sinkUri = new Uri(await LoopbackHost.StartAsync(sinkApp).ConfigureAwait(false), "/sink");
        var tables = new List<ResultTable>();
        foreach (var storeName in stores.Where(s => s is "sqlite" or "postgres"))
        {
            await using var target = await StoreTarget.CreateAsync(storeName, options).ConfigureAwait(false);
            var sizes = options.Backlog.Order().ToArray();
            var filled = new List<(int Size, string Location, double FillSeconds)>();
            foreach (var size in sizes)
            {
                var location = string.Create(CultureInfo.InvariantCulture, $"backlog{size}");
                using var host = await StartAsync(target, location, options, dispatcher: false).ConfigureAwait(false);
                await SenderHost.SubscribeAsync(host, sinkUri, LoadEvent.EventType).ConfigureAwait(false);
                await host.Services.GetRequiredService<IWebhookPublisher>()
                    .PublishAsync(LoadEvent.EventType, LoadEvent.Sample(0) with { Notes = "backlog" }, HarnessJsonContext.Default.LoadEvent).ConfigureAwait(false);
                await host.StopAsync().ConfigureAwait(false);
                var start = Stopwatch.GetTimestamp();
                log.WriteLine($"backlog ({storeName}): filling {location} to {size} pending deliveries");
                await target.FillAsync(location, size, log).ConfigureAwait(false);
                filled.Add((size, location, Stopwatch.GetElapsedTime(start).TotalSeconds));
            }

            var (claimTable, claimedEach) = await MeasureClaimsAsync(target, filled, options, log).ConfigureAwait(false);
            tables.Add(claimTable);
            tables.Add(await MeasureDispatchAsync(target, filled, claimedEach, sink, options, log).ConfigureAwait(false));
        }

        await sinkApp.StopAsync().ConfigureAwait(false);
        return tables;
    }

    /// <summary>Claims batches from every backlog in turn (interleaved), timing each store call.</summary>
    /// <returns>The table, and how many deliveries each backlog has left in flight under the harness's lease.</returns>
    private static async Task<(ResultTable Table, int ClaimedEach)> MeasureClaimsAsync(StoreTarget target, List<(int Size, string Location, double FillSeconds)> filled, HarnessOptions options, TextWriter log)
    {
        var hosts = new List<IHost>();
        try
        {
            foreach (var (_, location, _) in filled)
            {
                hosts.Add(await StartAsync(target, location, options, dispatcher: false).ConfigureAwait(false));
            }

            var claimsEach = Math.Clamp(filled[0].Size / BatchSize / 2, 3, 200);
            var request = new WebhookClaimRequest { LeaseOwner = "harness", MaxCount = BatchSize, LeaseDuration = TimeSpan.FromMinutes(30) };
            foreach (var host in hosts)
            {
                // Warm-up, untimed: JIT, connection pool, prepared statements.
                var store = host.Services.GetRequiredService<IWebhookStore>();
                await store.ClaimAsync(request).ConfigureAwait(false);
                await store.GetNextDueTimeAsync().ConfigureAwait(false);
                await store.CountUnfinishedAsync().ConfigureAwait(false);
            }

            var claim = filled.Select(_ => new List<double>()).ToArray();
            var nextDue = filled.Select(_ => new List<double>()).ToArray();
            var count = filled.Select(_ => new List<double>()).ToArray();
            var shortClaims = 0;
            for (var round = 0; round < claimsEach; round++)
            {
                for (var k = 0; k < hosts.Count; k++)
                {
                    var i = (k + round) % hosts.Count;
                    var store = hosts[i].Services.GetRequiredService<IWebhookStore>();
                    var start = Stopwatch.GetTimestamp();
                    var claimed = await store.ClaimAsync(request).ConfigureAwait(false);
                    claim[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    shortClaims += claimed.Count == BatchSize ? 0 : 1;
                    start = Stopwatch.GetTimestamp();
                    await store.GetNextDueTimeAsync().ConfigureAwait(false);
                    nextDue[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    if (round % Math.Max(1, claimsEach / 5) == 0)
                    {
                        start = Stopwatch.GetTimestamp();
                        await store.CountUnfinishedAsync().ConfigureAwait(false);
                        count[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    }
                }
            }

            var table = new ResultTable(
                $"Backlog, {target.Name} store: cost of the dispatcher's store calls by backlog size ({claimsEach} interleaved claims of {BatchSize} each)",
                "pending deliveries",
                "claim p50 ms",
                "claim min ms",
                "claim ratio (p50)",
                "next-due p50 ms",
                "count-unfinished p50 ms",
                "filled in s");
            var baseline = Median(claim[0]);
            for (var i = 0; i < filled.Count; i++)
            {
                table.Add(
                    filled[i].Size.ToString("N0", CultureInfo.InvariantCulture),
                    CandidateTable.F(Median(claim[i]), "F3"),
                    CandidateTable.F(claim[i].Min(), "F3"),
                    CandidateTable.F(Median(claim[i]) / baseline, "F2"),
                    CandidateTable.F(Median(nextDue[i]), "F3"),
                    CandidateTable.F(Median(count[i]), "F2"),
                    CandidateTable.F(filled[i].FillSeconds, "F1"));
            }

            if (shortClaims > 0)
            {
                table.Failures.Add($"{target.Name}: {shortClaims} claims returned fewer than {BatchSize} deliveries from a backlog that had them.");
            }

            table.Notes.Add("Claim = ClaimAsync(32) (one UPDATE ... RETURNING over the due index); next-due = GetNextDueTimeAsync (after every claim in the dispatcher loop); count-unfinished = CountUnfinishedAsync (the backlog gauge, once per poll interval).");
            log.WriteLine($"backlog ({target.Name}): claims measured");
            return (table, (claimsEach + 1) * BatchSize);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync().ConfigureAwait(false);
                host.Dispose();
            }
        }
    }

    /// <summary>Runs a dispatcher on each backlog for a bounded time and reports its rate and the process's memory.</summary>
    private static async Task<ResultTable> MeasureDispatchAsync(StoreTarget target, List<(int Size, string Location, double FillSeconds)> filled, int claimedEach, ReceiptSink sink, HarnessOptions options, TextWriter log)
    {
        var table = new ResultTable(
            $"Backlog, {target.Name} store: the sender working through each backlog (bounded run, concurrency {options.Concurrency})",
            "pending deliveries",
            "delivered",
            "seconds",
            "deliveries/s",
            "managed heap MB (after full GC)",
            "working set MB");
        var seconds = options.Smoke ? 3 : Math.Min(options.Duration.TotalSeconds, 15);
        foreach (var (size, location, _) in filled)
        {
            var run = sink.Begin(Math.Min(size - claimedEach, options.Count));
            var start = Stopwatch.GetTimestamp();
            using var host = await StartAsync(target, location, options, dispatcher: true).ConfigureAwait(false);
            await run.WaitAsync(TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var delivered = run.Unique;
            var heap = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
            using var process = Process.GetCurrentProcess();
            var workingSet = process.WorkingSet64 / 1048576.0;
            await host.StopAsync().ConfigureAwait(false);
            table.Add(
                size.ToString("N0", CultureInfo.InvariantCulture),
                delivered.ToString(CultureInfo.InvariantCulture),
                CandidateTable.F(elapsed, "F1"),
                CandidateTable.F(delivered / elapsed, "F0"),
                CandidateTable.F(heap, "F1"),
                CandidateTable.F(workingSet, "F0"));
            if (delivered == 0)
            {
                table.Failures.Add($"{target.Name}: nothing was delivered from the {size} backlog.");
            }

            log.WriteLine($"backlog ({target.Name}): {size} pending: {delivered} delivered in {elapsed:F1} s");
        }

        table.Notes.Add($"Each run stops once the sink has the smaller of the backlog (less the {claimedEach} the claim test left leased) and {options.Count} deliveries, or after {seconds:F0} s (including host start-up); memory is read while the sender still runs.");
        return table;
    }

    private static Task<IHost> StartAsync(StoreTarget target, string location, HarnessOptions options, bool dispatcher) =>
        SenderHost.StartAsync(options, BatchSize, dispatcher, sender => target.Configure(sender, location));

    private static double Median(List<double> values) => values.Order().ElementAt((values.Count - 1) / 2);
}
