using System.Security.Cryptography;
using System.Text;
using Webhooks.Core.Schemes;
using Webhooks.Core;

namespace Webhooks.Core.Tests.Schemes;

public class StripeWebhookSignatureTests
{
    // The fixture of stripe-dotnet's EventUtilityTest (secret "webhook_secret", t=1533204620, body event_test_signature.json).
    private const string FixtureSecret = "webhook_secret";
    private const long FixtureTimestamp = 1533204620;
    private const string FixtureV1 = "2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7";
    private const string FixtureV0 = "63f3a72374a733066c4be69ed7f8e5ac85c22c9f0a6a612ab9a025a9e4ee7eef";
    private const string FixtureHeader = "t=1533204620,v1=" + FixtureV1 + ",v0=" + FixtureV0;

    private static readonly byte[] FixtureBody = Encoding.UTF8.GetBytes(
        "{\n  \"id\": \"evt_123\",\n  \"object\": \"event\",\n  \"account\": \"acct_123\",\n  \"api_version\": \"2017-05-25\",\n" +
        "  \"created\": 1533204620,\n  \"data\": {\n    \"object\": {\n      \"id\": \"cus_123\",\n      \"object\": \"customer\",\n" +
        "      \"created\": 123456789,\n      \"email\": \"test@stripe.com\",\n      \"livemode\": false,\n      \"metadata\": {}\n" +
        "    }\n  },\n  \"livemode\": false,\n  \"pending_webhooks\": 1,\n  \"request\": {\n    \"id\": \"req_123\",\n" +
        "    \"idempotency_key\": \"idempotency-key-123\"\n  },\n  \"type\": \"customer.created\"\n}\n");

    private static readonly DateTimeOffset FixtureTime = DateTimeOffset.FromUnixTimeSeconds(FixtureTimestamp);

    private const string Secret = "whsec_H68eTX02a4bCbiQOOoSAsIytOvuWZrQC";
    private static readonly byte[] Body = """{"id":"evt_1","object":"event","type":"invoice.paid"}"""u8.ToArray();
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static string IndependentV1(string secret, long timestamp, byte[] body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray()));

    [Fact]
    public void Verify_StripeDotnetFixture_IsValid()
    {
        StripeWebhookSignature.Verify(FixtureBody, FixtureHeader, [FixtureSecret], FixtureTime.AddSeconds(100), StripeWebhookSignature.DefaultTolerance)
            .Should().Be(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Sign_StripeDotnetFixture_ProducesFixtureV1()
    {
        StripeWebhookSignature.Sign(FixtureSecret, FixtureTimestamp, FixtureBody).Should().Be($"t={FixtureTimestamp},v1={FixtureV1}");
    }

    [Fact]
    public void Sign_WhsecSecret_KeysWithWholeStringNotDecodedBase64()
    {
        StripeWebhookSignature.Sign(Secret, 1_700_000_000, Body).Should().Be($"t=1700000000,v1={IndependentV1(Secret, 1_700_000_000, Body)}");
    }

    [Fact]
    public void Verify_IndependentHmac_IsValid()
    {
        var header = $"t=1700000000,v1={IndependentV1(Secret, 1_700_000_000, Body)}";

        StripeWebhookSignature.Verify(Body, header, [Secret], Now, StripeWebhookSignature.DefaultTolerance).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_AnyV1MayMatch_IsValid()
    {
        var good = IndependentV1(Secret, 1_700_000_000, Body);
        var other = IndependentV1("whsec_other", 1_700_000_000, Body);

        StripeWebhookSignature.Verify(Body, $"t=1700000000,v1={other},v1={good}", [Secret], Now, StripeWebhookSignature.DefaultTolerance).IsValid.Should().BeTrue();
        StripeWebhookSignature.Verify(Body, $"t=1700000000,v1={good},v1={other}", [Secret], Now, StripeWebhookSignature.DefaultTolerance).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_MalformedV1BeforeGoodOne_IsSkipped()
    {
        var good = IndependentV1(Secret, 1_700_000_000, Body);

        StripeWebhookSignature.Verify(Body, $"t=1700000000,v1=,v1=zz,v2=abc,{good},v1={good}", [Secret], Now, StripeWebhookSignature.DefaultTolerance).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_WhitespaceAroundItems_IsValid()
    {
        var good = IndependentV1(Secret, 1_700_000_000, Body);

        StripeWebhookSignature.Verify(Body, $" t=1700000000 , v1={good} ", [Secret], Now, StripeWebhookSignature.DefaultTolerance).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_OnlyV0Matches_IsMalformedHeader()
    {
        // v0 is Stripe's test-mode legacy scheme and is never accepted.
        var v0 = IndependentV1(Secret, 1_700_000_000, Body);

        StripeWebhookSignature.Verify(Body, $"t=1700000000,v0={v0}", [Secret], Now, StripeWebhookSignature.DefaultTolerance)
            .Status.Should().Be(WebhookVerificationStatus.MalformedHeader);
    }

    [Fact]
    public void Verify_RotationList_AcceptsAnySecret()
    {
        var header = StripeWebhookSignature.Sign(Secret, 1_700_000_000, Body);

        StripeWebhookSignature.Verify(Body, header, ["whsec_new", " ", Secret], Now, StripeWebhookSignature.DefaultTolerance).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_WrongSecret_HasNoMatchingSignature()
    {
        var header = StripeWebhookSignature.Sign(Secret, 1_700_000_000, Body);

        StripeWebhookSignature.Verify(Body, header, ["whsec_wrong"], Now, StripeWebhookSignature.DefaultTolerance).Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public void Verify_NoUsableSecret_HasNoMatchingSignature()
    {
        var header = StripeWebhookSignature.Sign(Secret, 1_700_000_000, Body);

        StripeWebhookSignature.Verify(Body, header, ["", null!], Now, StripeWebhookSignature.DefaultTolerance).Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public void Verify_TimestampChanged_HasNoMatchingSignature()
    {
        var v1 = IndependentV1(Secret, 1_700_000_000, Body);

        StripeWebhookSignature.Verify(Body, $"t=1700000001,v1={v1}", [Secret], Now, StripeWebhookSignature.DefaultTolerance)
            .Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Theory]
    [InlineData(300, true)]
    [InlineData(-300, true)]
    [InlineData(301, false)]
    [InlineData(-301, false)]
    public void Verify_DefaultToleranceEdges_AreInclusive(int offsetSeconds, bool valid)
    {
        var header = StripeWebhookSignature.Sign(Secret, 1_700_000_000, Body);

        var result = StripeWebhookSignature.Verify(Body, header, [Secret], Now.AddSeconds(offsetSeconds), StripeWebhookSignature.DefaultTolerance);

        result.IsValid.Should().Be(valid);
        if (!valid)
        {
            result.Status.Should().Be(offsetSeconds > 0 ? WebhookVerificationStatus.TimestampTooOld : WebhookVerificationStatus.TimestampTooNew);
        }
    }

    [Fact]
    public void Verify_CustomTolerance_IsHonoured()
    {
        var header = StripeWebhookSignature.Sign(Secret, 1_700_000_000, Body);

        StripeWebhookSignature.Verify(Body, header, [Secret], Now.AddSeconds(61), TimeSpan.FromMinutes(1))
            .Status.Should().Be(WebhookVerificationStatus.TimestampTooOld);
        StripeWebhookSignature.Verify(Body, header, [Secret], Now.AddMinutes(30), TimeSpan.FromHours(1))
            .IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_NullTolerance_SkipsTimestampCheck()
    {
        StripeWebhookSignature.Verify(FixtureBody, FixtureHeader, [FixtureSecret], Now, null).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_NegativeTolerance_Throws()
    {
        var act = () => StripeWebhookSignature.Verify(Body, "t=1,v1=00", [Secret], Now, TimeSpan.FromTicks(-1));

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("tolerance");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void Verify_MissingHeader_IsMissingHeader(string? header)
    {
        StripeWebhookSignature.Verify(Body, header, [Secret], Now, StripeWebhookSignature.DefaultTolerance).Status.Should().Be(WebhookVerificationStatus.MissingHeader);
    }

    [Theory]
    [InlineData("v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7")]
    [InlineData("t=1700000000")]
    [InlineData("t=1700000000,v1=")]
    [InlineData("t=1700000000,v1=abc")]
    [InlineData("t=1700000000,t=1700000001,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7")]
    [InlineData(",,,")]
    [InlineData("garbage")]
    public void Verify_MalformedHeader_IsMalformedHeader(string header)
    {
        StripeWebhookSignature.Verify(Body, header, [Secret], Now, StripeWebhookSignature.DefaultTolerance).Status.Should().Be(WebhookVerificationStatus.MalformedHeader);
    }

    [Theory]
    [InlineData("t=,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7")]
    [InlineData("t=-1700000000,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7")]
    [InlineData("t=17e8,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7")]
    [InlineData("t=99999999999999999999,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7")]
    public void Verify_MalformedTimestamp_IsMalformedTimestamp(string header)
    {
        StripeWebhookSignature.Verify(Body, header, [Secret], Now, StripeWebhookSignature.DefaultTolerance).Status.Should().Be(WebhookVerificationStatus.MalformedTimestamp);
    }

    [Fact]
    public void Sign_TimestampTooLarge_Throws()
    {
        var act = () => StripeWebhookSignature.Sign(Secret, long.MaxValue, Body);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
