using Microsoft.Extensions.Time.Testing;
using Webhooks.Core;
using static Webhooks.Core.Tests.Signatures.StandardWebhookTestData;

namespace Webhooks.Core.Tests.Signatures;

public class StandardWebhookVerifierTests
{
    private readonly FakeTimeProvider _time = new(SentAt);

    [Fact]
    public void Verify_SpecTestVector_IsValid()
    {
        var verifier = new StandardWebhookVerifier([ParsedSecret], _time);

        verifier.Verify(MessageId, TimestampHeader, Signature, Body).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_UsesTheTimeProvider()
    {
        var verifier = new StandardWebhookVerifier([ParsedSecret], _time);

        _time.Advance(TimeSpan.FromMinutes(5));
        verifier.Verify(MessageId, TimestampHeader, Signature, Body).IsValid.Should().BeTrue();

        _time.Advance(TimeSpan.FromSeconds(1));
        verifier.Verify(MessageId, TimestampHeader, Signature, Body).Status.Should().Be(WebhookVerificationStatus.TimestampTooOld);
    }

    [Fact]
    public void Verify_TimestampInTheFuture_TimestampTooNew()
    {
        var time = new FakeTimeProvider(SentAt - TimeSpan.FromMinutes(6));
        var verifier = new StandardWebhookVerifier([ParsedSecret], time);

        verifier.Verify(MessageId, TimestampHeader, Signature, Body).Status.Should().Be(WebhookVerificationStatus.TimestampTooNew);
    }

    [Fact]
    public void Tolerance_Default_IsFiveMinutes() =>
        new StandardWebhookVerifier([ParsedSecret]).Tolerance.Should().Be(TimeSpan.FromMinutes(5));

    [Fact]
    public void Verify_CustomTolerance_IsHonoured()
    {
        var verifier = new StandardWebhookVerifier([ParsedSecret], _time, TimeSpan.FromHours(1));
        _time.Advance(TimeSpan.FromMinutes(59));

        verifier.Tolerance.Should().Be(TimeSpan.FromHours(1));
        verifier.Verify(MessageId, TimestampHeader, Signature, Body).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_CheckTimestampOff_AcceptsAnOldMessage()
    {
        var verifier = new StandardWebhookVerifier([ParsedSecret], _time) { CheckTimestamp = false };
        _time.Advance(TimeSpan.FromDays(365));

        verifier.Verify(MessageId, TimestampHeader, Signature, Body).IsValid.Should().BeTrue();
        verifier.Verify(MessageId, "x", Signature, Body).Status.Should().Be(WebhookVerificationStatus.MalformedTimestamp);
    }

    [Fact]
    public void Verify_SvixHeaderNames_Verify()
    {
        var secret = WebhookSecret.Generate();
        var body = "{\"type\":\"invoice.paid\"}"u8.ToArray();
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [StandardWebhookHeaders.SvixId] = "msg_svix",
            [StandardWebhookHeaders.SvixTimestamp] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [StandardWebhookHeaders.SvixSignature] = StandardWebhook.Sign(secret, "msg_svix", timestamp, body),
        };
        var verifier = new StandardWebhookVerifier([secret], _time);

        var result = verifier.Verify(
            headers.GetValueOrDefault(StandardWebhookHeaders.Id) ?? headers.GetValueOrDefault(StandardWebhookHeaders.SvixId),
            headers.GetValueOrDefault(StandardWebhookHeaders.Timestamp) ?? headers.GetValueOrDefault(StandardWebhookHeaders.SvixTimestamp),
            headers.GetValueOrDefault(StandardWebhookHeaders.Signature) ?? headers.GetValueOrDefault(StandardWebhookHeaders.SvixSignature),
            body);

        StandardWebhookHeaders.SvixSignature.Should().Be("svix-signature");
        result.IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_SecretsAreCopied_LaterChangesToTheListDoNotMatter()
    {
        var secrets = new List<WebhookSecret> { ParsedSecret };
        var verifier = new StandardWebhookVerifier(secrets, _time);

        secrets.Clear();

        verifier.Verify(MessageId, TimestampHeader, Signature, Body).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_MissingHeaders_MissingHeader()
    {
        var verifier = new StandardWebhookVerifier([ParsedSecret], _time);

        verifier.Verify(null, null, null, Body).Status.Should().Be(WebhookVerificationStatus.MissingHeader);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        FluentActions.Invoking(() => new StandardWebhookVerifier(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => new StandardWebhookVerifier([])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new StandardWebhookVerifier([null!])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new StandardWebhookVerifier([ParsedSecret], tolerance: TimeSpan.FromSeconds(-1)))
            .Should().Throw<ArgumentOutOfRangeException>();
    }
}
