using System.Text.Json.Serialization;

namespace Webhooks.LoadHarness.Scenarios;

/// <summary>The typed view of the pull_request event our receiver's handler takes (the fields a handler would use).</summary>
internal sealed record GitHubPullRequest(
    string Action,
    int Number,
    [property: JsonPropertyName("pull_request")] GitHubPullRequest.Details PullRequest,
    GitHubPullRequest.RepositoryInfo Repository)
{
    internal sealed record Details(long Id, string Title, string State);

    internal sealed record RepositoryInfo([property: JsonPropertyName("full_name")] string FullName);
}
