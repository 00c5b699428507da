using System.Security.Cryptography;
using System.Text;
using Webhooks.Core.Schemes;
using Webhooks.Core;

namespace Webhooks.Core.Tests.Schemes;

public class ShopifyWebhookSignatureTests
{
    // A published example (SQLPage's Shopify webhook test): same algorithm, computed by another implementation.
    private const string PublishedSecret = "test-webhook-secret";
    private const string PublishedHmac = "QNyObTlKbMx2qDlPF/ZOZcBqg5OgPg+2oky3zldc0Gw=";
    private static readonly byte[] PublishedBody = """{"id":1234567890,"email":"customer@example.com","total_price":"123.45"}"""u8.ToArray();

    [Fact]
    public void Sign_PublishedExample_ProducesPublishedHmac()
    {
        ShopifyWebhookSignature.Sign(PublishedSecret, PublishedBody).Should().Be(PublishedHmac);
    }

    [Fact]
    public void Verify_PublishedExample_IsValid()
    {
        ShopifyWebhookSignature.Verify(PublishedBody, PublishedHmac, [PublishedSecret]).Should().Be(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Verify_IndependentHmac_IsValid()
    {
        var body = """{"id":820982911946154508,"email":"jon@example.com"}"""u8.ToArray();
        const string secret = "shpss_0123456789abcdef";
        var header = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

        ShopifyWebhookSignature.Sign(secret, body).Should().Be(header);
        ShopifyWebhookSignature.Verify(body, header, [secret]).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_WrongSecret_HasNoMatchingSignature()
    {
        ShopifyWebhookSignature.Verify(PublishedBody, PublishedHmac, ["other"]).Status
            .Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public void Verify_TamperedBody_HasNoMatchingSignature()
    {
        var tampered = """{"id":1234567890,"email":"customer@example.com","total_price":"0.01"}"""u8;

        ShopifyWebhookSignature.Verify(tampered, PublishedHmac, [PublishedSecret]).Status
            .Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public void Verify_RotationList_AcceptsAnySecret()
    {
        ShopifyWebhookSignature.Verify(PublishedBody, PublishedHmac, ["new", "", PublishedSecret]).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Verify_MissingHeader_IsMissingHeader(string? header)
    {
        ShopifyWebhookSignature.Verify(PublishedBody, header, [PublishedSecret]).Status.Should().Be(WebhookVerificationStatus.MissingHeader);
    }

    [Theory]
    [InlineData("QNyObTlKbMx2qDlPF/ZOZcBqg5OgPg+2oky3zldc0Gw")]
    [InlineData("QNyObTlKbMx2qDlPF_ZOZcBqg5OgPg-2oky3zldc0Gw=")]
    [InlineData("QNyObTlKbMx2qDlPF/ZOZcBqg5OgPg+2oky3zldc0Gw=QQ==")]
    [InlineData("40dc8e6d394a6ccc76a8394f17f64e65c06a8393a03e0fb6a24cb7ce575cd06c")]
    [InlineData("not base64 at all!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("AAAA")]
    public void Verify_MalformedHeader_IsMalformedHeader(string header)
    {
        ShopifyWebhookSignature.Verify(PublishedBody, header, [PublishedSecret]).Status.Should().Be(WebhookVerificationStatus.MalformedHeader);
    }

    [Fact]
    public void Verify_NoUsableSecret_HasNoMatchingSignature()
    {
        ShopifyWebhookSignature.Verify(PublishedBody, PublishedHmac, [" "]).Status.Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public void Sign_NullSecret_Throws()
    {
        var act = () => ShopifyWebhookSignature.Sign(null!, PublishedBody);

        act.Should().Throw<ArgumentNullException>().WithParameterName("secret");
    }
}
