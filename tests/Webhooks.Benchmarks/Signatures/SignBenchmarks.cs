using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Webhooks.Core;

namespace Webhooks.Benchmarks.Signatures;

/// <summary>Signing one message; the only allocation allowed is the returned string.</summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class SignBenchmarks
{
    private const long Timestamp = 1_764_288_000;

    private byte[] _key = [];
    private byte[] _body = [];
    private byte[] _signedContent = [];
    private byte[] _mac = new byte[32];
    private string _bodyString = "";
    private WebhookSecret _secret = null!;
    private WebhookSecret[] _rotation = [];
    private StandardWebhooks.StandardWebhook _package = null!;
    private DateTimeOffset _timestamp;

    /// <summary>The body size in bytes.</summary>
    [Params(1024, 65536)]
    public int BodySize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _secret = WebhookSecret.Generate();
        _rotation = [_secret, WebhookSecret.Generate()];
        _key = Convert.FromBase64String(_secret.RevealEncoded()[WebhookSecret.Prefix.Length..]);
        _body = BenchmarkPayload.Create(BodySize);
        _bodyString = Encoding.UTF8.GetString(_body);
        _signedContent = BenchmarkPayload.SignedContent(BenchmarkPayload.MessageId, "1764288000", _body);
        _package = new StandardWebhooks.StandardWebhook(_secret.RevealEncoded());
        _timestamp = DateTimeOffset.FromUnixTimeSeconds(Timestamp);
        if (Ours() != _package.Sign(BenchmarkPayload.MessageId, _timestamp, _bodyString))
        {
            throw new InvalidOperationException("The signatures differ.");
        }
    }

    /// <summary>The floor: one-shot HMAC-SHA256 over the signed bytes, already concatenated.</summary>
    [Benchmark(Baseline = true)]
    public int HmacSha256HashData() => HMACSHA256.HashData(_key, _signedContent, _mac);

    /// <summary>Ours: one secret, the <c>v1,</c> token.</summary>
    [Benchmark]
    public string Ours() => StandardWebhook.Sign(_secret, BenchmarkPayload.MessageId, Timestamp, _body);

    /// <summary>Ours during rotation: two secrets, the whole header value.</summary>
    [Benchmark]
    public string OursTwoSecrets() => StandardWebhook.Sign(_rotation, BenchmarkPayload.MessageId, Timestamp, _body);

    /// <summary>The StandardWebhooks 1.1.2 package, from the body as a string.</summary>
    [Benchmark]
    public string PackageFromString() => _package.Sign(BenchmarkPayload.MessageId, _timestamp, _bodyString);
}
