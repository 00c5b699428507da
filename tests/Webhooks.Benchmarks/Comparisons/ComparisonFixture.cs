using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Webhooks.Benchmarks.Signatures;
using Webhooks.Core.Schemes;

namespace Webhooks.Benchmarks.Comparisons;

/// <summary>
/// The inputs shared by the provider-scheme comparisons: one body, its GitHub and Stripe signatures, and the exact
/// bytes each scheme's MAC covers (the floor: one <see cref="HMACSHA256.HashData(byte[], byte[])"/> over them).
/// </summary>
internal sealed class ComparisonFixture
{
    public const string Secret = "whsec_benchmark_secret_value_0123456789";

    public ComparisonFixture(int size)
    {
        Body = BenchmarkPayload.Create(size);
        BodyString = Encoding.UTF8.GetString(Body);
        Now = DateTimeOffset.UtcNow;
        Timestamp = Now.ToUnixTimeSeconds();
        Key = Encoding.UTF8.GetBytes(Secret);
        GitHubHeader = GitHubWebhookSignature.Sign(Secret, Body);
        StripeHeader = StripeWebhookSignature.Sign(Secret, Timestamp, Body);
        StripeSignedContent = [.. Encoding.UTF8.GetBytes(Timestamp.ToString(CultureInfo.InvariantCulture) + "."), .. Body];
    }

    public byte[] Body { get; }

    public string BodyString { get; }

    public DateTimeOffset Now { get; }

    public long Timestamp { get; }

    public byte[] Key { get; }

    public string[] Secrets { get; } = [Secret];

    public string GitHubHeader { get; }

    public string StripeHeader { get; }

    public byte[] StripeSignedContent { get; }
}
