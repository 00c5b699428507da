using BenchmarkDotNet.Attributes;
using Webhooks.Core.Schemes;

namespace Webhooks.Benchmarks.Schemes;

/// <summary>Verification of the provider schemes over the real 20 KiB GitHub pull_request payload, two secrets (rotation, match on the second).</summary>
[MemoryDiagnoser]
public class ProviderSchemeBenchmarks
{
    private const long Timestamp = 1_700_000_000;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(Timestamp);
    private readonly string[] _secrets = ["whsec_old_secret_value", "whsec_current_secret_value"];
    private byte[] _body = [];
    private string _github = "";
    private string _stripe = "";
    private string _shopify = "";
    private string _slack = "";

    [GlobalSetup]
    public void Setup()
    {
        _body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "github-pull_request-opened.json"));
        _github = GitHubWebhookSignature.Sign(_secrets[1], _body);
        _stripe = StripeWebhookSignature.Sign(_secrets[1], Timestamp, _body);
        _shopify = ShopifyWebhookSignature.Sign(_secrets[1], _body);
        _slack = SlackWebhookSignature.Sign(_secrets[1], Timestamp, _body);
    }

    [Benchmark]
    public bool GitHub() => GitHubWebhookSignature.Verify(_body, _github, _secrets).IsValid;

    [Benchmark]
    public bool Stripe() => StripeWebhookSignature.Verify(_body, _stripe, _secrets, Now, StripeWebhookSignature.DefaultTolerance).IsValid;

    [Benchmark]
    public bool Shopify() => ShopifyWebhookSignature.Verify(_body, _shopify, _secrets).IsValid;

    [Benchmark]
    public bool Slack() => SlackWebhookSignature.Verify(_body, "1700000000", _slack, _secrets, Now, SlackWebhookSignature.DefaultTolerance).IsValid;
}
