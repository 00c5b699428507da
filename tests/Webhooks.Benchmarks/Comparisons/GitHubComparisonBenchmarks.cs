using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Octokit.Webhooks;
using Webhooks.Core.Schemes;

namespace Webhooks.Benchmarks.Comparisons;

/// <summary>
/// GitHub's <c>X-Hub-Signature-256</c>: ours against the floor and against Octokit.Webhooks 4.2.3's public
/// <see cref="WebhookSignatureValidator"/>. Its <c>MapGitHubWebhooks</c> 4.2.3 reads the body into an <c>ArrayPool</c>
/// buffer and calls the bytes overload (<see cref="OctokitFromBytes"/>); the string overload is shown for a caller who
/// already holds the body as a string.
/// </summary>
[MemoryDiagnoser]
public class GitHubComparisonBenchmarks
{
    private readonly byte[] _mac = new byte[32];
    private ComparisonFixture _fixture = null!;

    [Params(1024, 65536)]
    public int BodySize { get; set; }

    [GlobalSetup]
    public void Setup() => _fixture = new ComparisonFixture(BodySize);

    [Benchmark(Baseline = true)]
    public int HmacSha256HashData() => HMACSHA256.HashData(_fixture.Key, _fixture.Body, _mac);

    [Benchmark]
    public bool Ours() => GitHubWebhookSignature.Verify(_fixture.Body, _fixture.GitHubHeader, _fixture.Secrets).IsValid;

    [Benchmark]
    public bool OctokitFromBytes() =>
        WebhookSignatureValidator.Verify(_fixture.GitHubHeader, ComparisonFixture.Secret, _fixture.Body) == WebhookSignatureValidationResult.Valid;

    [Benchmark]
    public bool OctokitFromString() =>
        WebhookSignatureValidator.Verify(_fixture.GitHubHeader, ComparisonFixture.Secret, _fixture.BodyString) == WebhookSignatureValidationResult.Valid;

    [Benchmark]
    public string OursSign() => GitHubWebhookSignature.Sign(ComparisonFixture.Secret, _fixture.Body);
}
