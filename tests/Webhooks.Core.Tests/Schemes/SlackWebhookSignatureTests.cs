using System.Security.Cryptography;
using System.Text;
using Webhooks.Core.Schemes;
using Webhooks.Core;

namespace Webhooks.Core.Tests.Schemes;

public class SlackWebhookSignatureTests
{
    // The example from Slack's "Verifying requests from Slack" documentation (the command there is /webhook-collect).
    private const string DocsSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const long DocsTimestamp = 1531420618;
    private const string DocsSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static readonly byte[] DocsBody = Encoding.UTF8.GetBytes(
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");

    private static readonly DateTimeOffset DocsTime = DateTimeOffset.FromUnixTimeSeconds(DocsTimestamp);

    [Fact]
    public void Sign_DocumentedExample_ProducesDocumentedSignature()
    {
        SlackWebhookSignature.Sign(DocsSecret, DocsTimestamp, DocsBody).Should().Be(DocsSignature);
    }

    [Fact]
    public void Verify_DocumentedExample_IsValid()
    {
        SlackWebhookSignature.Verify(DocsBody, "1531420618", DocsSignature, [DocsSecret], DocsTime, SlackWebhookSignature.DefaultTolerance)
            .Should().Be(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Verify_IndependentHmac_IsValid()
    {
        var body = """{"type":"url_verification","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}"""u8.ToArray();
        const string secret = "another-signing-secret";
        var content = Encoding.UTF8.GetBytes("v0:1700000000:").Concat(body).ToArray();
        var header = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), content));

        SlackWebhookSignature.Sign(secret, 1700000000, body).Should().Be(header);
        SlackWebhookSignature.Verify(body, "1700000000", header, [secret], DateTimeOffset.FromUnixTimeSeconds(1700000000), SlackWebhookSignature.DefaultTolerance)
            .IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    [InlineData(0)]
    public void Verify_AtToleranceEdge_IsValid(int offsetSeconds)
    {
        SlackWebhookSignature.Verify(DocsBody, "1531420618", DocsSignature, [DocsSecret], DocsTime.AddSeconds(offsetSeconds), SlackWebhookSignature.DefaultTolerance)
            .IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_OneSecondPastTolerance_IsTooOld()
    {
        SlackWebhookSignature.Verify(DocsBody, "1531420618", DocsSignature, [DocsSecret], DocsTime.AddSeconds(301), SlackWebhookSignature.DefaultTolerance)
            .Status.Should().Be(WebhookVerificationStatus.TimestampTooOld);
    }

    [Fact]
    public void Verify_OneSecondBeforeTolerance_IsTooNew()
    {
        SlackWebhookSignature.Verify(DocsBody, "1531420618", DocsSignature, [DocsSecret], DocsTime.AddSeconds(-301), SlackWebhookSignature.DefaultTolerance)
            .Status.Should().Be(WebhookVerificationStatus.TimestampTooNew);
    }

    [Fact]
    public void Verify_CustomTolerance_IsHonoured()
    {
        SlackWebhookSignature.Verify(DocsBody, "1531420618", DocsSignature, [DocsSecret], DocsTime.AddSeconds(11), TimeSpan.FromSeconds(10))
            .Status.Should().Be(WebhookVerificationStatus.TimestampTooOld);
        SlackWebhookSignature.Verify(DocsBody, "1531420618", DocsSignature, [DocsSecret], DocsTime.AddHours(1), TimeSpan.FromHours(2))
            .IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_NullTolerance_SkipsTimestampCheckButNotSignature()
    {
        SlackWebhookSignature.Verify(DocsBody, "1531420618", DocsSignature, [DocsSecret], DocsTime.AddYears(5), null)
            .IsValid.Should().BeTrue();
        SlackWebhookSignature.Verify(DocsBody, "1531420619", DocsSignature, [DocsSecret], DocsTime.AddYears(5), null)
            .Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);
        SlackWebhookSignature.Verify(DocsBody, "x", DocsSignature, [DocsSecret], DocsTime, null)
            .Status.Should().Be(WebhookVerificationStatus.MalformedTimestamp);
    }

    [Fact]
    public void Verify_ZeroTolerance_AcceptsOnlyTheSameSecond()
    {
        SlackWebhookSignature.Verify(DocsBody, "1531420618", DocsSignature, [DocsSecret], DocsTime.AddMilliseconds(999), TimeSpan.Zero)
            .IsValid.Should().BeTrue();
        SlackWebhookSignature.Verify(DocsBody, "1531420618", DocsSignature, [DocsSecret], DocsTime.AddSeconds(1), TimeSpan.Zero)
            .Status.Should().Be(WebhookVerificationStatus.TimestampTooOld);
    }

    [Fact]
    public void Verify_NegativeTolerance_Throws()
    {
        var act = () => SlackWebhookSignature.Verify(DocsBody, "1531420618", DocsSignature, [DocsSecret], DocsTime, TimeSpan.FromSeconds(-1));

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Verify_TimestampNotTheSigned_HasNoMatchingSignature()
    {
        SlackWebhookSignature.Verify(DocsBody, "1531420619", DocsSignature, [DocsSecret], DocsTime, SlackWebhookSignature.DefaultTolerance)
            .Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public void Verify_WrongSecret_HasNoMatchingSignature()
    {
        SlackWebhookSignature.Verify(DocsBody, "1531420618", DocsSignature, ["wrong", ""], DocsTime, SlackWebhookSignature.DefaultTolerance)
            .Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public void Verify_RotationList_AcceptsAnySecret()
    {
        SlackWebhookSignature.Verify(DocsBody, "1531420618", DocsSignature, ["new", DocsSecret], DocsTime, SlackWebhookSignature.DefaultTolerance)
            .IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData(null, DocsSignature)]
    [InlineData("", DocsSignature)]
    [InlineData("1531420618", null)]
    [InlineData("1531420618", " ")]
    public void Verify_MissingHeader_IsMissingHeader(string? timestamp, string? signature)
    {
        SlackWebhookSignature.Verify(DocsBody, timestamp, signature, [DocsSecret], DocsTime, SlackWebhookSignature.DefaultTolerance)
            .Status.Should().Be(WebhookVerificationStatus.MissingHeader);
    }

    [Theory]
    [InlineData("-1531420618")]
    [InlineData("+1531420618")]
    [InlineData("1531420618.0")]
    [InlineData("1.5e9")]
    [InlineData("１５３１４２０６１８")]
    [InlineData("1234567890123456789")]
    [InlineData("abc")]
    public void Verify_MalformedTimestamp_IsMalformedTimestamp(string timestamp)
    {
        SlackWebhookSignature.Verify(DocsBody, timestamp, DocsSignature, [DocsSecret], DocsTime, SlackWebhookSignature.DefaultTolerance)
            .Status.Should().Be(WebhookVerificationStatus.MalformedTimestamp);
    }

    [Theory]
    [InlineData("a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("v0=")]
    [InlineData("v0=a2114d57")]
    [InlineData("v0=g2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    public void Verify_MalformedSignature_IsMalformedHeader(string signature)
    {
        SlackWebhookSignature.Verify(DocsBody, "1531420618", signature, [DocsSecret], DocsTime, SlackWebhookSignature.DefaultTolerance)
            .Status.Should().Be(WebhookVerificationStatus.MalformedHeader);
    }

    [Fact]
    public void Sign_NegativeTimestamp_Throws()
    {
        var act = () => SlackWebhookSignature.Sign(DocsSecret, -1, DocsBody);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
