using System.Security.Cryptography;
using System.Text;
using Webhooks.Core.Schemes;
using Webhooks.Core;

namespace Webhooks.Core.Tests.Schemes;

public class GitHubWebhookSignatureTests
{
    // The example from GitHub's "Validating webhook deliveries" documentation.
    private const string DocsSecret = "It's a Secret to Everybody";
    private const string DocsSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static readonly byte[] DocsBody = "Hello, World!"u8.ToArray();

    [Fact]
    public void Sign_DocumentedExample_ProducesDocumentedSignature()
    {
        GitHubWebhookSignature.Sign(DocsSecret, DocsBody).Should().Be(DocsSignature);
    }

    [Fact]
    public void Verify_DocumentedExample_IsValid()
    {
        GitHubWebhookSignature.Verify(DocsBody, DocsSignature, [DocsSecret]).Should().Be(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Verify_UppercaseHex_IsValid()
    {
        var upper = "sha256=" + DocsSignature["sha256=".Length..].ToUpperInvariant();

        GitHubWebhookSignature.Verify(DocsBody, upper, [DocsSecret]).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_RealPullRequestPayload_MatchesIndependentHmac()
    {
        var body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "github-pull_request-opened.json"));
        const string secret = "pull-request-secret";
        var header = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

        GitHubWebhookSignature.Sign(secret, body).Should().Be(header);
        GitHubWebhookSignature.Verify(body, header, [secret]).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_TamperedBody_HasNoMatchingSignature()
    {
        GitHubWebhookSignature.Verify("Hello, World?"u8, DocsSignature, [DocsSecret]).Status
            .Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public void Verify_WrongSecret_HasNoMatchingSignature()
    {
        GitHubWebhookSignature.Verify(DocsBody, DocsSignature, ["not the secret"]).Status
            .Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public void Verify_RotationList_AcceptsAnySecret()
    {
        GitHubWebhookSignature.Verify(DocsBody, DocsSignature, ["new secret", DocsSecret]).IsValid.Should().BeTrue();
        GitHubWebhookSignature.Verify(DocsBody, DocsSignature, [DocsSecret, "old secret"]).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Verify_MissingHeader_IsMissingHeader(string? header)
    {
        GitHubWebhookSignature.Verify(DocsBody, header, [DocsSecret]).Status.Should().Be(WebhookVerificationStatus.MissingHeader);
    }

    [Theory]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17aa")]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a 7570b6d7586c22c46f4379c8b043e17")]
    public void Verify_MalformedHeader_IsMalformedHeader(string header)
    {
        GitHubWebhookSignature.Verify(DocsBody, header, [DocsSecret]).Status.Should().Be(WebhookVerificationStatus.MalformedHeader);
    }

    [Fact]
    public void Verify_NoUsableSecret_HasNoMatchingSignature()
    {
        GitHubWebhookSignature.Verify(DocsBody, DocsSignature, ["", "  ", null!]).Status
            .Should().Be(WebhookVerificationStatus.NoMatchingSignature);
        GitHubWebhookSignature.Verify(DocsBody, DocsSignature, []).Status
            .Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public void Verify_BlankSecretsBeforeGoodOne_AreSkipped()
    {
        GitHubWebhookSignature.Verify(DocsBody, DocsSignature, ["", " ", DocsSecret]).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_LongNonAsciiSecret_RoundTrips()
    {
        var secret = new string('é', 300) + "🔑";
        var header = GitHubWebhookSignature.Sign(secret, DocsBody);

        header.Should().Be("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), DocsBody)));
        GitHubWebhookSignature.Verify(DocsBody, header, [secret]).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Sign_BlankSecret_Throws(string secret)
    {
        var act = () => GitHubWebhookSignature.Sign(secret, DocsBody);

        act.Should().Throw<ArgumentException>().WithParameterName("secret");
    }
}
