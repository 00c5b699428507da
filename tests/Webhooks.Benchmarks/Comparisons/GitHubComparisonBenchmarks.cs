using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Octokit.Webhooks;
using Webhooks.Core.Schemes;

namespace Webhooks.Benchmarks.Comparisons;

/// <summary>
/// GitHub's <c>X-Hub-Signature-256</c>: ours against the floor and against Octokit.Webhooks 4.2.3's public
/// <see cref="WebhookSignatureValidator"/>. <c>MapGitHubWebhooks</c> reads the body into a string with a
/// <see cref="StreamReader"/> and calls the string overload, so <see cref="OctokitAsMapGitHubWebhooks"/> adds the UTF-8 decode
/// it pays per request.
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
    public bool OctokitAsMapGitHubWebhooks() =>
        WebhookSignatureValidator.Verify(_fixture.GitHubHeader, ComparisonFixture.Secret, Encoding.UTF8.GetString(_fixture.Body)) == WebhookSignatureValidationResult.Valid;

    [Benchmark]
    public string OursSign() => GitHubWebhookSignature.Sign(ComparisonFixture.Secret, _fixture.Body);
}
