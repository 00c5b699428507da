using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Webhooks.Core;
using Webhooks.Core.Events;
using Webhooks.LoadHarness.Load;
using Webhooks.LoadHarness.Reporting;
using Webhooks.Sender.Publishing;
using Webhooks.Sender;

namespace Webhooks.LoadHarness.Scenarios;

/// <summary>
/// Sender throughput: N events published to one subscription and delivered by our dispatcher to a Kestrel sink on
/// 127.0.0.1, against a raw <see cref="HttpClient"/> loop that posts the same envelope bytes, signed, with the same
/// concurrency to the same sink. Both are timed from the first publish (or send) to the last receipt at the sink.
/// </summary>
internal static class SenderScenario
{
    public static async Task<IReadOnlyList<ResultTable>> RunAsync(HarnessOptions options, IReadOnlyList<string> stores, TextWriter log)
    {
        var sink = new ReceiptSink();
        var builder = LoopbackHost.CreateBuilder();
        await using var app = builder.Build();
        sink.Map(app, "/sink/{kind}");
        var baseUri = await LoopbackHost.StartAsync(app).ConfigureAwait(false);
        using var rawClient = LoadGenerator.CreateClient(options.Concurrency);
        using var inProcess = new InProcessSinkHandler(sink);
        using var rawInProcessClient = new HttpClient(inProcess, disposeHandler: false);
        var tables = new List<ResultTable>();

        foreach (var storeName in stores)
        {
            await using var store = await StoreTarget.CreateAsync(storeName, options).ConfigureAwait(false);
            if (options.Publishers.Count > 0)
            {
                tables.AddRange(await RunPublishersAsync(store, sink, rawClient, baseUri, options, log).ConfigureAwait(false));
                continue;
            }

            var candidates = new List<Candidate>
            {
                new("raw HttpClient loop", () => RunRawAsync(rawClient, sink, new Uri(baseUri, "/sink/raw"), options)),
                new($"ours, dispatch only ({storeName}, backlog stored first)", () => RunDispatchOnlyAsync(store, sink, new Uri(baseUri, "/sink/ours"), options)),
                new($"ours, publish + dispatch ({storeName})", () => RunOursAsync(store, sink, new Uri(baseUri, "/sink/ours"), options)),
            };

            log.WriteLine($"sender ({storeName}): {options.Count} deliveries x {options.Rounds} rounds, concurrency {options.Concurrency}, sink {baseUri}");
            // Warm-up: JIT (to the optimized tier), connection pools, the store's first statements.
            var warmup = options with { Count = Math.Min(options.Count, 5000) };
            await RunRawAsync(rawClient, sink, new Uri(baseUri, "/sink/raw"), warmup).ConfigureAwait(false);
            await RunOursAsync(store, sink, new Uri(baseUri, "/sink/ours"), warmup).ConfigureAwait(false);
            await RunDispatchOnlyAsync(store, sink, new Uri(baseUri, "/sink/ours"), warmup).ConfigureAwait(false);

            var results = await Interleaved.RunAsync(candidates, options.Rounds, log).ConfigureAwait(false);

            // The same two loops with no network under them: what each costs on its own side.
            var local = new List<Candidate>
            {
                new("raw HttpClient loop, in-process transport", () => RunRawAsync(rawInProcessClient, sink, new Uri(baseUri, "/sink/raw"), options)),
                new($"ours, dispatch only ({storeName}), in-process transport", () => RunDispatchOnlyAsync(store, sink, new Uri(baseUri, "/sink/ours"), options, inProcess)),
            };
            await RunRawAsync(rawInProcessClient, sink, new Uri(baseUri, "/sink/raw"), warmup).ConfigureAwait(false);
            await RunDispatchOnlyAsync(store, sink, new Uri(baseUri, "/sink/ours"), warmup, inProcess).ConfigureAwait(false);
            var localResults = await Interleaved.RunAsync(local, options.Rounds, log).ConfigureAwait(false);
            var table = CandidateTable.Create(
                $"Sender, {storeName} store: deliveries per second to a Kestrel sink on 127.0.0.1, concurrency {options.Concurrency}",
                "deliveries",
                results,
                results[0],
                "publish-to-receipt");
            table.Notes.Add($"Ratios are to the raw loop. {options.Rounds} interleaved rounds of {options.Count} deliveries (a run stops after {options.Duration.TotalSeconds:F0} s); a fresh {storeName} store per run.");
            table.Notes.Add("Raw loop: timed from the first send to the last receipt at the sink; latency is receipt minus the start of the request.");
            table.Notes.Add("Dispatch only: the events are stored first (untimed, dispatcher off); timed from the start of a sender on that store to the last receipt; latency is receipt minus that start (so it includes the queueing).");
            table.Notes.Add("Publish + dispatch: concurrent publishers and the dispatcher together; timed from the first PublishAsync to the last receipt; latency is receipt minus the start of that message's PublishAsync.");
            tables.Add(table);

            var localTable = CandidateTable.Create(
                $"Sender, {storeName} store, no network: deliveries per second through an in-process transport (the client side alone), concurrency {options.Concurrency}",
                "deliveries",
                localResults,
                localResults[0],
                "publish-to-receipt");
            localTable.Notes.Add("The transport hands each request to the sink's bookkeeping in process and answers 204: no socket, no Kestrel, no SSRF connect check.");
            localTable.Notes.Add("The raw loop's cost here is building, signing and sending each request through HttpClient; ours adds the claim, the subscription read, the attempt record and the stored outcome.");
            tables.Add(localTable);
        }

        await app.StopAsync().ConfigureAwait(false);
        return tables;
    }

    /// <summary>
    /// The raw loop beside publish + dispatch with each of <see cref="HarnessOptions.Publishers"/> concurrent publishers,
    /// and how long each <c>PublishAsync</c> call took (with one publisher: a lone caller's publish latency).
    /// </summary>
    private static async Task<IReadOnlyList<ResultTable>> RunPublishersAsync(StoreTarget store, ReceiptSink sink, HttpClient rawClient, Uri baseUri, HarnessOptions options, TextWriter log)
    {
        var candidates = new List<Candidate> { new("raw HttpClient loop", () => RunRawAsync(rawClient, sink, new Uri(baseUri, "/sink/raw"), options)) };
        foreach (var publishers in options.Publishers)
        {
            candidates.Add(new(
                $"ours, publish + dispatch ({store.Name}), {publishers} publisher{(publishers == 1 ? "" : "s")}",
                () => RunOursAsync(store, sink, new Uri(baseUri, "/sink/ours"), options, publishers)));
        }

        log.WriteLine($"sender ({store.Name}): {options.Count} deliveries x {options.Rounds} rounds, concurrency {options.Concurrency}, publishers {string.Join(',', options.Publishers)}, sink {baseUri}");
        var warmup = options with { Count = Math.Min(options.Count, 5000) };
        await RunRawAsync(rawClient, sink, new Uri(baseUri, "/sink/raw"), warmup).ConfigureAwait(false);
        foreach (var publishers in options.Publishers)
        {
            await RunOursAsync(store, sink, new Uri(baseUri, "/sink/ours"), warmup, publishers).ConfigureAwait(false);
        }

        var results = await Interleaved.RunAsync(candidates, options.Rounds, log).ConfigureAwait(false);
        var table = CandidateTable.Create(
            $"Sender, {store.Name} store, by publishers: deliveries per second to a Kestrel sink on 127.0.0.1, concurrency {options.Concurrency}",
            "deliveries",
            results,
            results[0],
            "publish-to-receipt");
        table.Notes.Add($"Ratios are to the raw loop. {options.Rounds} interleaved rounds of {options.Count} deliveries (a run stops after {options.Duration.TotalSeconds:F0} s); a fresh {store.Name} store per run.");
        table.Notes.Add("Publish + dispatch: N publishers, each awaiting its PublishAsync before the next, and the dispatcher together; timed from the first PublishAsync to the last receipt.");

        var latency = new ResultTable(
            $"Sender, {store.Name} store: PublishAsync latency while the dispatcher delivers (every call of every round)",
            "candidate",
            "publishes (all rounds)",
            "p50 ms",
            "p99 ms",
            "p50 ms (best round)",
            "p99 ms (best round)");
        foreach (var r in results.Skip(1))
        {
            var all = r.Rounds.Where(round => round.PublishLatency is not null).ToList();
            latency.Add(
                r.Name,
                all.Sum(round => round.Succeeded).ToString(CultureInfo.InvariantCulture),
                CandidateTable.F(all.Select(round => round.PublishLatency!.Value.P50).Order().ElementAt((all.Count - 1) / 2), "F3"),
                CandidateTable.F(all.Select(round => round.PublishLatency!.Value.P99).Order().ElementAt((all.Count - 1) / 2), "F3"),
                CandidateTable.F(r.Best.PublishLatency!.Value.P50, "F3"),
                CandidateTable.F(r.Best.PublishLatency!.Value.P99, "F3"));
        }

        latency.Notes.Add("The first two columns are the median round's; a call is timed from before PublishAsync to its return. With 1 publisher this is a lone caller.");
        return [table, latency];
    }

    private static async Task<LoadResult> RunRawAsync(HttpClient client, ReceiptSink sink, Uri uri, HarnessOptions options)
    {
        var secret = WebhookSecret.Generate();
        var body = WebhookEnvelope.Serialize(LoadEvent.EventType, DateTimeOffset.UtcNow, LoadEvent.Sample(0), HarnessJsonContext.Default.LoadEvent);
        var run = sink.Begin(options.Count);
        var started = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var start = Stopwatch.GetTimestamp();
        var result = await LoadGenerator.RunAsync(
            client,
            i =>
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"msg_raw_{start}_{i}");
                started[id] = Stopwatch.GetTimestamp();
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
                request.Headers.TryAddWithoutValidation(StandardWebhookHeaders.Id, id);
                request.Headers.TryAddWithoutValidation(StandardWebhookHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
                request.Headers.TryAddWithoutValidation(StandardWebhookHeaders.Signature, StandardWebhook.Sign(secret, id, timestamp, body));
                return request;
            },
            options.Count,
            options.Concurrency,
            options.Duration).ConfigureAwait(false);
        return Finish(run, started, start, options.Count, result.Failed, result.FirstFailure);
    }

    /// <summary>Publishes and delivers at the same time: timed from the first publish to the last receipt.</summary>
    private static async Task<LoadResult> RunOursAsync(StoreTarget store, ReceiptSink sink, Uri uri, HarnessOptions options, int? publishers = null)
    {
        using var host = await StartSenderAsync(store, options, fresh: true, dispatcher: true).ConfigureAwait(false);
        try
        {
            await SubscribeAsync(host, uri).ConfigureAwait(false);
            var run = sink.Begin(options.Count);
            var start = Stopwatch.GetTimestamp();
            var published = await PublishAsync(host, options, publishers).ConfigureAwait(false);
            var left = options.Duration - Stopwatch.GetElapsedTime(start);
            await run.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero).ConfigureAwait(false);
            return Finish(run, published.Started, start, options.Count, published.Failed, published.FirstFailure) with { PublishLatency = published.Latency };
        }
        finally
        {
            await host.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Dispatch alone, like for like with the raw loop: the events are published (untimed) with the dispatcher off, then a
    /// sender starts on the filled store; timed from its start to the last receipt. Latency is from that start.
    /// </summary>
    private static async Task<LoadResult> RunDispatchOnlyAsync(StoreTarget store, ReceiptSink sink, Uri uri, HarnessOptions options, HttpMessageHandler? transport = null)
    {
        (ConcurrentDictionary<string, long> Started, int Failed, string? FirstFailure, Percentiles Latency) published;
        using (var filler = await StartSenderAsync(store, options, fresh: true, dispatcher: false).ConfigureAwait(false))
        {
            await SubscribeAsync(filler, uri).ConfigureAwait(false);
            published = await PublishAsync(filler, options).ConfigureAwait(false);
            await filler.StopAsync().ConfigureAwait(false);
        }

        var run = sink.Begin(options.Count);
        var cpu = LoadResult.ProcessCpu();
        var start = Stopwatch.GetTimestamp();
        foreach (var id in published.Started.Keys)
        {
            published.Started[id] = start;
        }

        using var host = await StartSenderAsync(store, options, fresh: false, dispatcher: true, transport).ConfigureAwait(false);
        try
        {
            await run.WaitAsync(options.Duration).ConfigureAwait(false);
            return Finish(run, published.Started, start, options.Count, published.Failed, published.FirstFailure) with { Cpu = LoadResult.ProcessCpu() - cpu };
        }
        finally
        {
            await host.StopAsync().ConfigureAwait(false);
        }
    }

    private static Task<IHost> StartSenderAsync(StoreTarget store, HarnessOptions options, bool fresh, bool dispatcher, HttpMessageHandler? transport = null) =>
        SenderHost.StartAsync(options, options.Concurrency, dispatcher, sender => store.Configure(sender, fresh), transport);

    private static Task SubscribeAsync(IHost host, Uri uri) => SenderHost.SubscribeAsync(host, uri, LoadEvent.EventType);

    /// <summary>Publishes <see cref="HarnessOptions.Count"/> events from <see cref="HarnessOptions.Concurrency"/> concurrent callers.</summary>
    private static async Task<(ConcurrentDictionary<string, long> Started, int Failed, string? FirstFailure, Percentiles Latency)> PublishAsync(IHost host, HarnessOptions options, int? publisherCount = null)
    {
        var publisher = host.Services.GetRequiredService<IWebhookPublisher>();
        var started = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var next = -1;
        var failed = 0;
        var durations = new long[options.Count];
        string? firstFailure = null;
        using var stop = new CancellationTokenSource(options.Duration);

        async Task PublishLoopAsync()
        {
            int i;
            while (!stop.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < options.Count)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    var id = await publisher.PublishAsync(LoadEvent.EventType, LoadEvent.Sample(i), HarnessJsonContext.Default.LoadEvent, cancellationToken: stop.Token).ConfigureAwait(false);
                    durations[i] = Stopwatch.GetTimestamp() - t0;
                    started[id] = t0;
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstFailure, ex.Message, null);
                }
            }
        }

        var publishers = new Task[publisherCount ?? options.Concurrency];
        for (var p = 0; p < publishers.Length; p++)
        {
            publishers[p] = Task.Run(PublishLoopAsync);
        }

        await Task.WhenAll(publishers).ConfigureAwait(false);
        var measured = durations.Where(d => d > 0).ToArray();
        return (started, failed, firstFailure, Percentiles.From(measured));
    }

    private static LoadResult Finish(ReceiptSink.Run run, ConcurrentDictionary<string, long> started, long start, int expected, int failed, string? firstFailure)
    {
        var arrived = run.Unique;
        var missing = expected - arrived;
        var end = arrived > 0 ? run.LastReceipt : Stopwatch.GetTimestamp();
        return new LoadResult(
            arrived,
            Math.Max(failed, missing),
            Stopwatch.GetElapsedTime(start, end),
            run.Latency(started),
            missing > 0 ? $"{missing} of {expected} never arrived ({failed} failed to send or publish: {firstFailure ?? "none"})" : firstFailure);
    }
}
