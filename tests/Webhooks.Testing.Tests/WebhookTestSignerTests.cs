using Microsoft.AspNetCore.Http;
using Webhooks.Core;
using Webhooks.Core.Schemes;

namespace Webhooks.Testing.Tests;

public sealed class WebhookTestSignerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(TestData.Timestamp);

    [Fact]
    public void StandardWebhooks_SpecificationVector_ProducesThePublishedSignature()
    {
        var signature = WebhookTestSigner.StandardWebhooks(TestData.Secret)
            .WithMessageId(TestData.MessageId)
            .WithTimestamp(Now)
            .Sign(TestData.Body);

        signature.Signature.Should().Be(TestData.Signature);
        signature.Headers.Should().Equal(
            new KeyValuePair<string, string>("webhook-id", TestData.MessageId),
            new KeyValuePair<string, string>("webhook-timestamp", "1614265330"),
            new KeyValuePair<string, string>("webhook-signature", TestData.Signature));
    }

    [Fact]
    public void Sign_EveryScheme_VerifiesWithTheCoreVerifier()
    {
        var body = TestData.Body;
        const string secret = "It's a Secret to Everybody";

        Header(WebhookTestSigner.GitHub(secret).Sign(body), GitHubWebhookSignature.SignatureHeader)
            .Should().Match(s => GitHubWebhookSignature.Verify(body, s, new[] { secret }).IsValid);
        Header(WebhookTestSigner.Shopify(secret).Sign(body), ShopifyWebhookSignature.HmacHeader)
            .Should().Match(s => ShopifyWebhookSignature.Verify(body, s, new[] { secret }).IsValid);
        Header(WebhookTestSigner.Stripe(secret).WithTimestamp(Now).Sign(body), StripeWebhookSignature.SignatureHeader)
            .Should().Match(s => StripeWebhookSignature.Verify(body, s, new[] { secret }, Now, null).IsValid);
        var slack = WebhookTestSigner.Slack(secret).WithTimestamp(Now).Sign(body);
        SlackWebhookSignature.Verify(body, Header(slack, SlackWebhookSignature.TimestampHeader), Header(slack, SlackWebhookSignature.SignatureHeader), [secret], Now, null)
            .IsValid.Should().BeTrue();
    }

    [Fact]
    public void WithStaleTimestamp_StandardWebhooks_FailsAsTooOld()
    {
        var signature = WebhookTestSigner.StandardWebhooks(TestData.ParsedSecret).WithTimestamp(Now).WithStaleTimestamp().Sign(TestData.Body);

        Verify(signature).Should().Be(WebhookVerificationStatus.TimestampTooOld);
        signature.Timestamp.Should().Be(TestData.Timestamp - 600);
    }

    [Fact]
    public void WithStaleTimestamp_NegativeAge_FailsAsTooNew()
    {
        var signature = WebhookTestSigner.StandardWebhooks(TestData.ParsedSecret).WithTimestamp(Now).WithStaleTimestamp(TimeSpan.FromHours(-1)).Sign(TestData.Body);

        Verify(signature).Should().Be(WebhookVerificationStatus.TimestampTooNew);
    }

    [Fact]
    public void WithWrongSignature_EveryScheme_IsWellFormedButDoesNotVerify()
    {
        var standard = WebhookTestSigner.StandardWebhooks(TestData.ParsedSecret).WithTimestamp(Now).WithWrongSignature().Sign(TestData.Body);
        var github = WebhookTestSigner.GitHub("secret").WithWrongSignature().Sign(TestData.Body);

        Verify(standard).Should().Be(WebhookVerificationStatus.NoMatchingSignature);
        standard.Signature.Should().StartWith("v1,").And.HaveLength(TestData.Signature.Length);
        GitHubWebhookSignature.Verify(TestData.Body, github.Signature, new[] { "secret" }).Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);
        github.Signature.Should().StartWith("sha256=");
    }

    [Fact]
    public void WithoutHeader_LeavesOutTheHeader_IgnoringCase()
    {
        var signature = WebhookTestSigner.StandardWebhooks(TestData.ParsedSecret).WithoutHeader("Webhook-Signature").Sign(TestData.Body);

        signature.Headers.Select(h => h.Key).Should().Equal("webhook-id", "webhook-timestamp");
        signature.Signature.Should().StartWith("v1,");
    }

    [Fact]
    public void WithMessageId_GitHubAndShopify_SendTheIdInTheirHeaders()
    {
        Header(WebhookTestSigner.GitHub("s").WithMessageId("d-1").WithEventType("push").Sign(TestData.Body), "X-GitHub-Delivery").Should().Be("d-1");
        Header(WebhookTestSigner.GitHub("s").WithEventType("push").Sign(TestData.Body), "X-GitHub-Event").Should().Be("push");
        Header(WebhookTestSigner.Shopify("s").WithMessageId("w-1").Sign(TestData.Body), "X-Shopify-Webhook-Id").Should().Be("w-1");
    }

    [Fact]
    public void UnsupportedOptions_AreRefusedWithAReason()
    {
        FluentActions.Invoking(() => WebhookTestSigner.GitHub("s").WithStaleTimestamp()).Should().Throw<NotSupportedException>().WithMessage("*GitHub signs no timestamp*");
        FluentActions.Invoking(() => WebhookTestSigner.Stripe("s").WithMessageId("x")).Should().Throw<NotSupportedException>().WithMessage("*in the body*");
        FluentActions.Invoking(() => WebhookTestSigner.Slack("s").WithEventType("x")).Should().Throw<NotSupportedException>();
    }

    [Fact]
    public void StandardWebhooks_InvalidSecret_SaysWhyWithoutTheValue()
    {
        var act = () => WebhookTestSigner.StandardWebhooks("whsec_not-base64!!");

        act.Should().Throw<ArgumentException>().WithParameterName("secret").Which.Message.Should().NotContain("not-base64");
    }

    [Fact]
    public void Signer_IsImmutable_AndToStringHidesTheSecret()
    {
        var signer = WebhookTestSigner.StandardWebhooks(TestData.ParsedSecret);
        var changed = signer.WithMessageId("msg_1");

        signer.MessageId.Should().BeNull();
        changed.MessageId.Should().Be("msg_1");
        changed.ToString().Should().Be("WebhookTestSigner(StandardWebhooks)");
    }

    [Fact]
    public void ApplyTo_ServerHeaders_SetsEveryHeader()
    {
        var headers = new HeaderDictionary();

        WebhookTestSigner.StandardWebhooks(TestData.ParsedSecret).WithMessageId("msg_1").Sign(TestData.Body).ApplyTo(headers);

        headers["webhook-id"].ToString().Should().Be("msg_1");
        headers.Should().ContainKeys("webhook-timestamp", "webhook-signature");
    }

    [Fact]
    public void SerializeJson_StandardWebhooks_WrapsThePayloadInTheEnvelope_ProvidersSendSnakeCase()
    {
        var standard = WebhookTestRequest.SerializeJson(new OrderCreated(42), WebhookTestSigner.StandardWebhooks(TestData.ParsedSecret).WithTimestamp(Now));
        var github = WebhookTestRequest.SerializeJson(new { OrderId = 42 }, WebhookTestSigner.GitHub("s"));

        System.Text.Encoding.UTF8.GetString(standard).Should().StartWith("""{"type":"order.created","timestamp":"2021-02-25T15:02:10""")
            .And.EndWith(""","data":{"orderId":42,"customer":null}}""");
        System.Text.Encoding.UTF8.GetString(github).Should().Be("""{"order_id":42}""");
    }

    private static string? Header(WebhookTestSignature signature, string name) =>
        signature.Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    private static WebhookVerificationStatus Verify(WebhookTestSignature signature) =>
        StandardWebhook.Verify(TestData.Body, Header(signature, "webhook-id"), Header(signature, "webhook-timestamp"), Header(signature, "webhook-signature"), [TestData.ParsedSecret], Now, TimeSpan.FromMinutes(5)).Status;
}
