using Octokit.Webhooks;
using Octokit.Webhooks.Events;
using Octokit.Webhooks.Events.PullRequest;

namespace Webhooks.LoadHarness.Scenarios;

/// <summary>Octokit's side of the receiver comparison: its typed pull_request callback, counting calls.</summary>
internal sealed class CountingGitHubProcessor : WebhookEventProcessor
{
    private int _handled;

    public int Handled => Volatile.Read(ref _handled);

    protected override ValueTask ProcessPullRequestWebhookAsync(WebhookHeaders headers, PullRequestEvent pullRequestEvent, PullRequestAction action, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _handled);
        return ValueTask.CompletedTask;
    }
}
