using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Webhooks.Core;

namespace Webhooks.Benchmarks.Signatures;

/// <summary>
/// Verifying one <c>v1</c> signature. The floor is one HMAC-SHA256 over the exact signed bytes
/// (<c>{id}.{timestamp}.{body}</c> already in one array); the bar is 1.10x of it at 1 KiB and 1.03x at 64 KiB,
/// with no allocation.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class VerifyBenchmarks
{
    private byte[] _key = [];
    private byte[] _body = [];
    private byte[] _signedContent = [];
    private byte[] _mac = new byte[32];
    private string _bodyString = "";
    private string _timestamp = "";
    private string _signature = "";
    private WebhookSecret[] _secrets = [];
    private StandardWebhookVerifier _verifier = null!;
    private StandardWebhooks.StandardWebhook _package = null!;
    private HeaderDictionary _headers = null!;
    private IncrementalHash _incrementalHmac = null!;
    private DateTimeOffset _now;

    /// <summary>The body size in bytes.</summary>
    [Params(1024, 65536)]
    public int BodySize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var secret = WebhookSecret.Generate();
        _secrets = [secret];
        _key = Convert.FromBase64String(secret.RevealEncoded()[WebhookSecret.Prefix.Length..]);
        _body = BenchmarkPayload.Create(BodySize);
        _bodyString = Encoding.UTF8.GetString(_body);
        _now = DateTimeOffset.UtcNow;
        _timestamp = _now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _signedContent = BenchmarkPayload.SignedContent(BenchmarkPayload.MessageId, _timestamp, _body);
        _signature = StandardWebhook.Sign(secret, BenchmarkPayload.MessageId, _now.ToUnixTimeSeconds(), _body);
        _verifier = new StandardWebhookVerifier(_secrets);
        _package = new StandardWebhooks.StandardWebhook(secret.RevealEncoded());
        _headers = new HeaderDictionary
        {
            [StandardWebhookHeaders.Id] = BenchmarkPayload.MessageId,
            [StandardWebhookHeaders.Timestamp] = _timestamp,
            [StandardWebhookHeaders.Signature] = _signature,
        };
        _incrementalHmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);

        // Every contender must accept the message, or the benchmark measures a failure path.
        if (!Ours().IsValid || !OursVerifier().IsValid)
        {
            throw new InvalidOperationException("Our verification failed.");
        }

        PackageFromString();
        PackageFromBytes();
    }

    [GlobalCleanup]
    public void Cleanup() => _incrementalHmac.Dispose();

    /// <summary>The floor: one-shot HMAC-SHA256 over the signed bytes, already concatenated.</summary>
    [Benchmark(Baseline = true)]
    public int HmacSha256HashData() => HMACSHA256.HashData(_key, _signedContent, _mac);

    /// <summary>Ours: <see cref="StandardWebhook.Verify"/> from the raw header strings and body bytes.</summary>
    [Benchmark]
    public WebhookVerificationResult Ours() =>
        StandardWebhook.Verify(_body, BenchmarkPayload.MessageId, _timestamp, _signature, _secrets, _now, StandardWebhook.DefaultTolerance);

    /// <summary>Ours through the reusable verifier (reads the system clock).</summary>
    [Benchmark]
    public WebhookVerificationResult OursVerifier() =>
        _verifier.Verify(BenchmarkPayload.MessageId, _timestamp, _signature, _body);

    /// <summary>
    /// The alternative design measured against ours: a cached HMAC <see cref="IncrementalHash"/> per secret, fed the
    /// prefix and the body (MAC only, no parsing).
    /// </summary>
    [Benchmark]
    public int IncrementalHmacPerSecret()
    {
        Span<byte> prefix = stackalloc byte[64];
        var length = Encoding.UTF8.GetBytes(BenchmarkPayload.MessageId, prefix);
        prefix[length++] = (byte)'.';
        length += Encoding.UTF8.GetBytes(_timestamp, prefix[length..]);
        prefix[length++] = (byte)'.';
        _incrementalHmac.AppendData(prefix[..length]);
        _incrementalHmac.AppendData(_body);
        return _incrementalHmac.GetHashAndReset(_mac);
    }

    /// <summary>Our MAC step alone (prefix encoding and the two-pass HMAC), to compare with the alternative above.</summary>
    [Benchmark]
    public void OursMacOnly()
    {
        Span<byte> paddedPrefix = stackalloc byte[128];
        var length = 64 + Encoding.UTF8.GetBytes(BenchmarkPayload.MessageId, paddedPrefix[64..]);
        paddedPrefix[length++] = (byte)'.';
        length += Encoding.UTF8.GetBytes(_timestamp, paddedPrefix[length..]);
        paddedPrefix[length++] = (byte)'.';
        HmacSha256.Compute(_secrets[0].Key, paddedPrefix[..length], _body, _mac);
    }

    /// <summary>The StandardWebhooks 1.1.2 package, given the body as a string (its only input form).</summary>
    [Benchmark]
    public void PackageFromString() => _package.Verify(_bodyString, _headers);

    /// <summary>The package including the UTF-8 decode a receiver needs to get that string from the request bytes.</summary>
    [Benchmark]
    public void PackageFromBytes() => _package.Verify(Encoding.UTF8.GetString(_body), _headers);
}
