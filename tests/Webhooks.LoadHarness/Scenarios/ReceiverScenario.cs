using System.Buffers;
using Octokit.Webhooks;
using Octokit.Webhooks.AspNetCore;
using System.Text.Json;
using Webhooks.Core.Schemes;
using Webhooks.Receiver;
using Webhooks.LoadHarness.Load;
using Webhooks.LoadHarness.Reporting;

namespace Webhooks.LoadHarness.Scenarios;

/// <summary>
/// Receiver throughput: one Kestrel app on 127.0.0.1 maps every candidate side by side, and the in-harness load generator
/// posts the same GitHub-signed pull_request event (a fresh <c>X-GitHub-Delivery</c> each time) to each in turn.
/// </summary>
internal static class ReceiverScenario
{
    public static async Task<IReadOnlyList<ResultTable>> RunAsync(HarnessOptions options, TextWriter log)
    {
        var request = new GitHubRequest();
        var builder = LoopbackHost.CreateBuilder();
        builder.Services.AddSingleton<WebhookEventProcessor, CountingGitHubProcessor>();
        var handled = new HandlerCounts();
        builder.Services.AddWebhookReceiver("github-typed", o => o.UseGitHub(GitHubRequest.Secret))
            .AddHandler<GitHubPullRequest>(GitHubRequest.EventName, (context, _) =>
            {
                handled.Count(context.Data.Number > 0 ? 1 : 0);
                return Task.CompletedTask;
            });
        builder.Services.AddWebhookReceiver("github-element", o => o.UseGitHub(GitHubRequest.Secret))
            .AddHandler<JsonElement>(GitHubRequest.EventName, (context, _) =>
            {
                handled.Count(context.Data.ValueKind == JsonValueKind.Object ? 1 : 0);
                return Task.CompletedTask;
            });
        await using var app = builder.Build();

        app.MapPost("/bare", ReadBodyAsync);
        app.MapPost("/core", VerifyWithCoreAsync);
        app.MapGitHubWebhooks("/octokit", GitHubRequest.Secret);
        app.MapWebhookReceiver("/receiver-typed", "github-typed");
        app.MapWebhookReceiver("/receiver-element", "github-element");

        var baseUri = await LoopbackHost.StartAsync(app).ConfigureAwait(false);
        using var client = LoadGenerator.CreateClient(options.Concurrency);
        (string Name, string Path)[] targets =
        [
            ("bare MapPost (read body, 204)", "/bare"),
            ("Core GitHub verify in a MapPost", "/core"),
            ("MapWebhookReceiver, typed handler", "/receiver-typed"),
            ("MapWebhookReceiver, JsonElement handler", "/receiver-element"),
            ("Octokit MapGitHubWebhooks 4.2.3", "/octokit"),
        ];

        var candidates = targets.Select(t =>
        {
            var uri = new Uri(baseUri, t.Path);
            return new Candidate(t.Name, () => LoadGenerator.RunAsync(client, _ => request.Create(uri), options.Count, options.Concurrency, options.Duration));
        }).ToList();

        log.WriteLine($"receiver: {candidates.Count} candidates at {baseUri}, {options.Count} requests x {options.Rounds} rounds, concurrency {options.Concurrency}");
        foreach (var candidate in candidates)
        {
            // Warm-up: JIT, connection pool, Kestrel's buffers.
            var uri = new Uri(baseUri, targets[candidates.IndexOf(candidate)].Path);
            await LoadGenerator.RunAsync(client, _ => request.Create(uri), Math.Min(options.Count, 2_000), options.Concurrency, options.Duration).ConfigureAwait(false);
        }

        var results = await Interleaved.RunAsync(candidates, options.Rounds, log).ConfigureAwait(false);
        var table = CandidateTable.Create(
            $"Receiver: requests per second, GitHub-signed pull_request ({request.Body.Length} B), concurrency {options.Concurrency}",
            "req",
            results,
            results[0],
            "latency");
        if (app.Services.GetRequiredService<WebhookEventProcessor>() is CountingGitHubProcessor { Handled: 0 })
        {
            table.Failures.Add("Octokit's pull_request callback never ran.");
        }

        if (handled.Value == 0)
        {
            table.Failures.Add("Our receiver's pull_request handlers never ran.");
        }

        table.Notes.Add($"Ratios are to the first row. {options.Rounds} interleaved rounds of at most {options.Count} requests or {options.Duration.TotalSeconds:F0} s each; in-harness HttpClient load generator in the same process.");
        await app.StopAsync().ConfigureAwait(false);
        return [table];
    }

    /// <summary>How many times our handlers ran with the payload read as expected.</summary>
    private sealed class HandlerCounts
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Count(int ok) => Interlocked.Add(ref _value, ok);
    }

    private static async Task ReadBodyAsync(HttpContext context)
    {
        await RequestBody.DrainAsync(context).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task VerifyWithCoreAsync(HttpContext context)
    {
        var length = (int)(context.Request.ContentLength ?? 0);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(total), context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            var result = GitHubWebhookSignature.Verify(buffer.AsSpan(0, total), context.Request.Headers[GitHubWebhookSignature.SignatureHeader], [GitHubRequest.Secret]);
            context.Response.StatusCode = result.IsValid ? StatusCodes.Status204NoContent : StatusCodes.Status401Unauthorized;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
