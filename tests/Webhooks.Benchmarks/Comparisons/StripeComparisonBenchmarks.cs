using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Stripe;
using Webhooks.Core.Schemes;

namespace Webhooks.Benchmarks.Comparisons;

/// <summary>
/// Stripe's <c>Stripe-Signature</c>: ours against the floor and against Stripe.net 53.1.0's
/// <see cref="EventUtility.ValidateSignature(string, string, string, long, long)"/> (no network: it only hashes).
/// Stripe.net takes the body as a string, so <see cref="StripeNetFromBytes"/> adds the UTF-8 decode a receiver pays.
/// <c>ConstructEvent</c> is <c>ValidateSignature</c> plus deserializing a Stripe <c>Event</c>; it is not measured here
/// because that cost is JSON parsing, not verification.
/// </summary>
[MemoryDiagnoser]
public class StripeComparisonBenchmarks
{
    private const long ToleranceSeconds = 300;
    private readonly byte[] _mac = new byte[32];
    private ComparisonFixture _fixture = null!;

    [Params(1024, 65536)]
    public int BodySize { get; set; }

    [GlobalSetup]
    public void Setup() => _fixture = new ComparisonFixture(BodySize);

    [Benchmark(Baseline = true)]
    public int HmacSha256HashData() => HMACSHA256.HashData(_fixture.Key, _fixture.StripeSignedContent, _mac);

    [Benchmark]
    public bool Ours() =>
        StripeWebhookSignature.Verify(_fixture.Body, _fixture.StripeHeader, _fixture.Secrets, _fixture.Now, StripeWebhookSignature.DefaultTolerance).IsValid;

    [Benchmark]
    public void StripeNetFromString() =>
        EventUtility.ValidateSignature(_fixture.BodyString, _fixture.StripeHeader, ComparisonFixture.Secret, ToleranceSeconds, _fixture.Timestamp);

    [Benchmark]
    public void StripeNetFromBytes() =>
        EventUtility.ValidateSignature(Encoding.UTF8.GetString(_fixture.Body), _fixture.StripeHeader, ComparisonFixture.Secret, ToleranceSeconds, _fixture.Timestamp);

    [Benchmark]
    public string OursSign() => StripeWebhookSignature.Sign(ComparisonFixture.Secret, _fixture.Timestamp, _fixture.Body);
}
