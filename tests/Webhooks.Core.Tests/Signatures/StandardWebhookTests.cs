using System.Security.Cryptography;
using System.Text;
using Webhooks.Core;
using static Webhooks.Core.Tests.Signatures.StandardWebhookTestData;

namespace Webhooks.Core.Tests.Signatures;

public class StandardWebhookTests
{
    private static readonly WebhookSecret[] Secrets = [ParsedSecret];

    private static WebhookVerificationResult Verify(
        string? signature,
        string? messageId = MessageId,
        string? timestamp = TimestampHeader,
        byte[]? body = null,
        WebhookSecret[]? secrets = null,
        DateTimeOffset? now = null,
        TimeSpan? tolerance = null) =>
        StandardWebhook.Verify(body ?? Body, messageId, timestamp, signature, secrets ?? Secrets, now ?? SentAt, tolerance ?? StandardWebhook.DefaultTolerance);

    private static string Garbage => "v1," + Convert.ToBase64String(new byte[32]);

    [Fact]
    public void Sign_SpecTestVector_MatchesThePublishedSignature() =>
        StandardWebhook.Sign(ParsedSecret, MessageId, Timestamp, Body).Should().Be(Signature);

    [Fact]
    public void Sign_EqualsHmacOfIdTimestampBody()
    {
        var secret = WebhookSecret.Generate(64);
        var body = RandomNumberGenerator.GetBytes(3000);
        var key = Convert.FromBase64String(secret.RevealEncoded()[6..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, (byte[])[.. "msg_1.42."u8, .. body]));

        StandardWebhook.Sign(secret, "msg_1", 42, body).Should().Be(expected);
    }

    [Fact]
    public void Verify_SpecTestVector_IsValid() =>
        Verify(Signature).Should().Be(WebhookVerificationResult.Valid);

    [Fact]
    public void Verify_SpecInvalidSignature_NoMatchingSignature() =>
        Verify("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLawdd").Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);

    [Fact]
    public void Verify_SpecMultiSignatureHeader_IsValid()
    {
        var header = $"v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= {Signature} v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";

        Verify(header).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_MatchingTokenLast_IsValid() =>
        Verify($"{Garbage} {Garbage} {Signature}").IsValid.Should().BeTrue();

    [Fact]
    public void Verify_MatchingTokenFirst_IsValid() =>
        Verify($"{Signature} {Garbage}").IsValid.Should().BeTrue();

    [Theory]
    [InlineData("v1,")]
    [InlineData("v1, v1,")]
    [InlineData("nocomma")]
    [InlineData(",abc")]
    [InlineData("   ")]
    public void Verify_NoWellFormedToken_MalformedHeader(string header) =>
        Verify(header).Status.Should().Be(WebhookVerificationStatus.MalformedHeader);

    [Theory]
    [InlineData("v1,")]
    [InlineData("garbage")]
    [InlineData("v1,!!!!")]
    [InlineData("v1,Zm9v")]
    [InlineData("v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")]
    [InlineData("v1a,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")]
    [InlineData("V1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=AAAA")]
    public void Verify_MalformedOrUnknownTokenBeforeTheValidOne_IsSkipped(string token) =>
        Verify($"{token} {Signature}").IsValid.Should().BeTrue();

    [Theory]
    [InlineData("v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")]
    [InlineData("v1a,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")]
    [InlineData("v1,Zm9v")]
    [InlineData("v1,!!!!")]
    public void Verify_OnlyUnusableTokens_NoMatchingSignature(string header) =>
        Verify(header).Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);

    [Fact]
    public void Verify_DoubleSpacesBetweenTokens_AreTolerated() =>
        Verify($"{Garbage}  {Signature}").IsValid.Should().BeTrue();

    [Theory]
    [InlineData(null, TimestampHeader, Signature)]
    [InlineData("", TimestampHeader, Signature)]
    [InlineData(MessageId, null, Signature)]
    [InlineData(MessageId, "", Signature)]
    [InlineData(MessageId, TimestampHeader, null)]
    [InlineData(MessageId, TimestampHeader, "")]
    public void Verify_MissingHeader_MissingHeader(string? id, string? timestamp, string? signature) =>
        StandardWebhook.Verify(Body, id, timestamp, signature, Secrets, SentAt, StandardWebhook.DefaultTolerance)
            .Status.Should().Be(WebhookVerificationStatus.MissingHeader);

    [Theory]
    [InlineData("-1614265330")]
    [InlineData("+1614265330")]
    [InlineData(" 1614265330")]
    [InlineData("1614265330 ")]
    [InlineData("1614265330.0")]
    [InlineData("1.6e9")]
    [InlineData("abc")]
    [InlineData("１６１４２６５３３０")] // full-width digits
    [InlineData("٣")] // Arabic-Indic digit
    [InlineData("99999999999999999999")] // overflows long
    [InlineData("000000000000001614265330")] // too long
    public void Verify_TimestampNotStrictAsciiDigits_MalformedTimestamp(string timestamp) =>
        Verify(Signature, timestamp: timestamp).Status.Should().Be(WebhookVerificationStatus.MalformedTimestamp);

    [Fact]
    public void Verify_TimestampWithLeadingZero_SignsTheHeadersOwnCharacters()
    {
        var body = Body;
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(ParsedSecret.Key, [.. Encoding.UTF8.GetBytes($"{MessageId}.0{TimestampHeader}."), .. body]));

        Verify(expected, timestamp: "0" + TimestampHeader).IsValid.Should().BeTrue();
        Verify(Signature, timestamp: "0" + TimestampHeader).Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public void Verify_TimestampAtTheToleranceEdges_IsValid()
    {
        Verify(Signature, now: SentAt + StandardWebhook.DefaultTolerance).IsValid.Should().BeTrue();
        Verify(Signature, now: SentAt - StandardWebhook.DefaultTolerance).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_TimestampTooOld_TimestampTooOld() =>
        Verify(Signature, now: SentAt + StandardWebhook.DefaultTolerance + TimeSpan.FromSeconds(1))
            .Status.Should().Be(WebhookVerificationStatus.TimestampTooOld);

    [Fact]
    public void Verify_TimestampTooOldBySubSecond_TimestampTooOld() =>
        Verify(Signature, now: SentAt + StandardWebhook.DefaultTolerance + TimeSpan.FromMilliseconds(1))
            .Status.Should().Be(WebhookVerificationStatus.TimestampTooOld);

    [Fact]
    public void Verify_TimestampTooNew_TimestampTooNew() =>
        Verify(Signature, now: SentAt - StandardWebhook.DefaultTolerance - TimeSpan.FromSeconds(1))
            .Status.Should().Be(WebhookVerificationStatus.TimestampTooNew);

    [Fact]
    public void Verify_TimestampBeyondYear9999_TimestampTooNewWithoutThrowing() =>
        Verify(Signature, timestamp: long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Status.Should().Be(WebhookVerificationStatus.TimestampTooNew);

    [Fact]
    public void Verify_ConfigurableTolerance_IsHonoured()
    {
        var now = SentAt + TimeSpan.FromMinutes(30);

        Verify(Signature, now: now, tolerance: TimeSpan.FromHours(1)).IsValid.Should().BeTrue();
        Verify(Signature, now: now, tolerance: TimeSpan.FromSeconds(10)).Status.Should().Be(WebhookVerificationStatus.TimestampTooOld);
        Verify(Signature, now: SentAt, tolerance: TimeSpan.Zero).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_NullTolerance_SkipsTheTimestampCheck()
    {
        var result = StandardWebhook.Verify(Body, MessageId, TimestampHeader, Signature, Secrets, SentAt.AddYears(5), tolerance: null);

        result.IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_NullToleranceStillRejectsAMalformedTimestamp() =>
        StandardWebhook.Verify(Body, MessageId, "x", Signature, Secrets, SentAt, tolerance: null)
            .Status.Should().Be(WebhookVerificationStatus.MalformedTimestamp);

    [Fact]
    public void Verify_TamperedBody_NoMatchingSignature() =>
        Verify(Signature, body: Encoding.UTF8.GetBytes("{\"test\": 2432232315}")).Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);

    [Fact]
    public void Verify_ReserializedBody_NoMatchingSignature() =>
        Verify(Signature, body: Encoding.UTF8.GetBytes("{\"test\":2432232314}")).Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);

    [Fact]
    public void Verify_OtherIdOrTimestamp_NoMatchingSignature()
    {
        Verify(Signature, messageId: "msg_other").Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);
        Verify(Signature, timestamp: "1614265331").Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public void Verify_BodyIsBytesNotText_InvalidUtf8StillVerifies()
    {
        byte[] body = [0xff, 0xfe, 0x00, 0xc3, 0x28, (byte)'{'];
        var signature = StandardWebhook.Sign(ParsedSecret, MessageId, Timestamp, body);

        Verify(signature, body: body).IsValid.Should().BeTrue();
        Verify(signature, body: [0xef, 0xbf, 0xbd, 0x00]).Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public void Verify_EmptyBody_Verifies()
    {
        var signature = StandardWebhook.Sign(ParsedSecret, MessageId, Timestamp, []);

        Verify(signature, body: []).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_NonAsciiId_IsSignedAsUtf8()
    {
        const string id = "msg_é✓";
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(ParsedSecret.Key, [.. Encoding.UTF8.GetBytes($"{id}.{TimestampHeader}."), .. Body]));

        StandardWebhook.Sign(ParsedSecret, id, Timestamp, Body).Should().Be(expected);
        Verify(expected, messageId: id).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_LoneSurrogateInId_DoesNotThrow() =>
        Verify(Signature, messageId: "msg_\ud800").Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);

    [Fact]
    public void Verify_RotationWithEitherSecret_IsValid()
    {
        var oldSecret = WebhookSecret.Generate();
        var newSecret = WebhookSecret.Generate();
        var header = StandardWebhook.Sign([newSecret, oldSecret], MessageId, Timestamp, Body);

        Verify(header, secrets: [oldSecret]).IsValid.Should().BeTrue();
        Verify(header, secrets: [newSecret]).IsValid.Should().BeTrue();
        Verify(header, secrets: [WebhookSecret.Generate()]).Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public void Verify_ReceiverWithSeveralSecrets_AcceptsAnyOfThem()
    {
        var oldSecret = WebhookSecret.Generate();
        var newSecret = WebhookSecret.Generate();

        Verify(StandardWebhook.Sign(oldSecret, MessageId, Timestamp, Body), secrets: [newSecret, oldSecret]).IsValid.Should().BeTrue();
        Verify(StandardWebhook.Sign(newSecret, MessageId, Timestamp, Body), secrets: [newSecret, oldSecret]).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_HugeSignatureHeader_MalformedHeaderWithoutThrowing() =>
        Verify(Signature + " " + new string('A', 1_000_000)).Status.Should().Be(WebhookVerificationStatus.MalformedHeader);

    [Fact]
    public void Verify_HugeMessageId_MalformedHeaderWithoutThrowing() =>
        Verify(Signature, messageId: new string('m', 1_000_000)).Status.Should().Be(WebhookVerificationStatus.MalformedHeader);

    [Fact]
    public void Verify_LongestAcceptedIdOfMultiByteCharacters_Verifies()
    {
        var id = new string('✓', StandardWebhook.MaxMessageIdLength);
        var signature = StandardWebhook.Sign(ParsedSecret, id, Timestamp, Body);

        Verify(signature, messageId: id).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_HugeTimestamp_MalformedTimestampWithoutThrowing() =>
        Verify(Signature, timestamp: new string('1', 1_000_000)).Status.Should().Be(WebhookVerificationStatus.MalformedTimestamp);

    [Fact]
    public void Verify_ManyTokensWithinTheLimit_LastOneCounts()
    {
        var tokens = Enumerable.Repeat(Garbage, 150).Append(Signature);

        Verify(string.Join(' ', tokens)).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_NoSecrets_ThrowsArgumentException() =>
        FluentActions.Invoking(() => StandardWebhook.Verify(Body, MessageId, TimestampHeader, Signature, [], SentAt, null))
            .Should().Throw<ArgumentException>();

    [Fact]
    public void Verify_NegativeTolerance_ThrowsArgumentOutOfRange() =>
        FluentActions.Invoking(() => Verify(Signature, tolerance: TimeSpan.FromSeconds(-1)))
            .Should().Throw<ArgumentOutOfRangeException>();

    [Fact]
    public void Verify_DoesNotAllocate()
    {
        var body = RandomNumberGenerator.GetBytes(65536);
        var signature = StandardWebhook.Sign(ParsedSecret, MessageId, Timestamp, body);
        Verify(signature, body: body).IsValid.Should().BeTrue(); // warm up the per-thread hash

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            StandardWebhook.Verify(body, MessageId, TimestampHeader, signature, Secrets, SentAt, StandardWebhook.DefaultTolerance);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Verify_ManyThreadsAtOnce_EachGetsItsOwnHashState()
    {
        var messages = Enumerable.Range(0, 64).Select(i =>
        {
            var body = RandomNumberGenerator.GetBytes(100 + (i * 97));
            return (Body: body, Signature: StandardWebhook.Sign(ParsedSecret, MessageId, Timestamp, body));
        }).ToArray();
        var failures = 0;

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var (body, signature) = messages[i % messages.Length];
            if (!Verify(signature, body: body).IsValid)
            {
                Interlocked.Increment(ref failures);
            }
        });

        failures.Should().Be(0);
    }

    [Fact]
    public void Sign_AllocatesOnlyTheReturnedString()
    {
        var body = RandomNumberGenerator.GetBytes(65536);
        var secret = ParsedSecret;
        StandardWebhook.Sign(secret, MessageId, Timestamp, body); // warm up the per-thread hash

        var token = "";
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            token = StandardWebhook.Sign(secret, MessageId, Timestamp, body);
        }

        var allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;

        token.Length.Should().Be(47);
        allocated.Should().BeLessThanOrEqualTo(24 + (2 * 48)); // object header, length and 47 chars plus terminator
    }

    [Fact]
    public void Sign_SeveralSecrets_SpaceSeparatedTokensInOrder()
    {
        var a = WebhookSecret.Generate();
        var b = WebhookSecret.Generate();

        var header = StandardWebhook.Sign([a, b], MessageId, Timestamp, Body);

        header.Split(' ').Should().Equal(
            StandardWebhook.Sign(a, MessageId, Timestamp, Body),
            StandardWebhook.Sign(b, MessageId, Timestamp, Body));
    }

    [Fact]
    public void Sign_ManySecrets_UsesAPooledBuffer()
    {
        var secrets = Enumerable.Range(0, 20).Select(_ => WebhookSecret.Generate()).ToArray();

        var header = StandardWebhook.Sign(secrets, MessageId, Timestamp, Body);

        header.Split(' ').Should().HaveCount(20).And.OnlyContain(token => token.Length == 47 && token.StartsWith("v1,"));
        Verify(header, secrets: [secrets[^1]]).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Sign_InvalidArguments_Throw()
    {
        var secret = ParsedSecret;

        FluentActions.Invoking(() => StandardWebhook.Sign((WebhookSecret)null!, MessageId, Timestamp, Body)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => StandardWebhook.Sign(secret, null!, Timestamp, Body)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => StandardWebhook.Sign(secret, "", Timestamp, Body)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => StandardWebhook.Sign(secret, new string('m', 257), Timestamp, Body)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => StandardWebhook.Sign(secret, MessageId, -1, Body)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => StandardWebhook.Sign(Array.Empty<WebhookSecret>(), MessageId, Timestamp, Body)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => StandardWebhook.Sign(new WebhookSecret[] { null! }, MessageId, Timestamp, Body)).Should().Throw<ArgumentNullException>();
    }
}
