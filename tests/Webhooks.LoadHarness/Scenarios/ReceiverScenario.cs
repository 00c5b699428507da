using Webhooks.LoadHarness.Load;
using Webhooks.LoadHarness.Reporting;

namespace Webhooks.LoadHarness.Scenarios;

/// <summary>
/// Receiver throughput: one Kestrel app on 127.0.0.1 maps every candidate side by side (<see cref="ReceiverEndpoints"/>),
/// and the in-harness load generator posts the same GitHub-signed pull_request event (a fresh <c>X-GitHub-Delivery</c>
/// each time) to each in turn.
/// </summary>
internal static class ReceiverScenario
{
    public static async Task<IReadOnlyList<ResultTable>> RunAsync(HarnessOptions options, TextWriter log)
    {
        var request = new GitHubRequest();
        var endpoints = new ReceiverEndpoints();
        var builder = LoopbackHost.CreateBuilder();
        endpoints.AddServices(builder.Services);
        await using var app = builder.Build();
        ReceiverEndpoints.Map(app);

        var baseUri = await LoopbackHost.StartAsync(app).ConfigureAwait(false);
        using var client = LoadGenerator.CreateClient(options.Concurrency);
        var candidates = ReceiverEndpoints.Targets.Select(t =>
        {
            var uri = new Uri(baseUri, t.Path);
            return new Candidate(t.Name, () => LoadGenerator.RunAsync(client, _ => request.Create(uri), options.Count, options.Concurrency, options.Duration));
        }).ToList();

        log.WriteLine($"receiver: {candidates.Count} candidates at {baseUri}, {options.Count} requests x {options.Rounds} rounds, concurrency {options.Concurrency}");
        foreach (var (_, path) in ReceiverEndpoints.Targets)
        {
            // Warm-up: JIT, connection pool, Kestrel's buffers.
            var uri = new Uri(baseUri, path);
            await LoadGenerator.RunAsync(client, _ => request.Create(uri), Math.Min(options.Count, 2_000), options.Concurrency, options.Duration).ConfigureAwait(false);
        }

        var results = await Interleaved.RunAsync(candidates, options.Rounds, log).ConfigureAwait(false);
        var table = CandidateTable.Create(
            $"Receiver: requests per second, GitHub-signed pull_request ({request.Body.Length} B), concurrency {options.Concurrency}",
            "req",
            results,
            results[0],
            "latency");
        if (!ReceiverEndpoints.OctokitHandled(app.Services))
        {
            table.Failures.Add("Octokit's pull_request callback never ran.");
        }

        if (endpoints.Handled == 0)
        {
            table.Failures.Add("Our receiver's pull_request handlers never ran.");
        }

        table.Notes.Add($"Ratios are to the first row. {options.Rounds} interleaved rounds of at most {options.Count} requests or {options.Duration.TotalSeconds:F0} s each; in-harness HttpClient load generator in the same process.");
        await app.StopAsync().ConfigureAwait(false);
        return [table];
    }
}
