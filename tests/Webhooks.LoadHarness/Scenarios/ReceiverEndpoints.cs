using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Octokit.Webhooks;
using Octokit.Webhooks.AspNetCore;
using Webhooks.Core.Schemes;
using Webhooks.LoadHarness.Load;
using Webhooks.Receiver;

namespace Webhooks.LoadHarness.Scenarios;

/// <summary>
/// The receiver candidates, side by side in one app: a bare endpoint, Core's GitHub verify in a bare endpoint, our
/// <c>MapWebhookReceiver</c> (typed and <see cref="JsonElement"/> handlers) and Octokit's <c>MapGitHubWebhooks</c>.
/// Shared by the load harness and the in-process pipeline benchmark (linked into Webhooks.Benchmarks).
/// </summary>
internal sealed class ReceiverEndpoints
{
    public const string Secret = "load-harness-github-secret";
    public const string EventName = "pull_request";

    private int _handled;

    /// <summary>Gets the candidates: a name and the path they are mapped at, the bare endpoint first.</summary>
    public static IReadOnlyList<(string Name, string Path)> Targets { get; } =
    [
        ("bare MapPost (read body, 204)", "/bare"),
        ("Core GitHub verify in a MapPost", "/core"),
        ("MapWebhookReceiver, typed handler", "/receiver-typed"),
        ("MapWebhookReceiver, JsonElement handler", "/receiver-element"),
        ("Octokit MapGitHubWebhooks 4.2.3", "/octokit"),
    ];

    /// <summary>Gets how many times our handlers ran with the payload read as expected.</summary>
    public int Handled => Volatile.Read(ref _handled);

    public void AddServices(IServiceCollection services)
    {
        services.AddSingleton<WebhookEventProcessor, CountingGitHubProcessor>();
        services.AddWebhookReceiver("github-typed", o => o.UseGitHub(Secret))
            .AddHandler<GitHubPullRequest>(EventName, (context, _) =>
            {
                Interlocked.Add(ref _handled, context.Data.Number > 0 ? 1 : 0);
                return Task.CompletedTask;
            });
        services.AddWebhookReceiver("github-element", o => o.UseGitHub(Secret))
            .AddHandler<JsonElement>(EventName, (context, _) =>
            {
                Interlocked.Add(ref _handled, context.Data.ValueKind == JsonValueKind.Object ? 1 : 0);
                return Task.CompletedTask;
            });
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/bare", ReadBodyAsync);
        endpoints.MapPost("/core", VerifyWithCoreAsync);
        endpoints.MapWebhookReceiver("/receiver-typed", "github-typed");
        endpoints.MapWebhookReceiver("/receiver-element", "github-element");
        endpoints.MapGitHubWebhooks("/octokit", Secret);
    }

    /// <summary>Whether Octokit's pull_request callback ran.</summary>
    public static bool OctokitHandled(IServiceProvider services) =>
        services.GetRequiredService<WebhookEventProcessor>() is CountingGitHubProcessor { Handled: > 0 };

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

            var result = GitHubWebhookSignature.Verify(buffer.AsSpan(0, total), context.Request.Headers[GitHubWebhookSignature.SignatureHeader], [Secret]);
            context.Response.StatusCode = result.IsValid ? StatusCodes.Status204NoContent : StatusCodes.Status401Unauthorized;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
