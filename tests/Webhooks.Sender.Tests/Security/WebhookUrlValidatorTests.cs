using Webhooks.Sender.Security;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Security;

public class WebhookUrlValidatorTests
{
    [Theory]
    [InlineData("https://example.com/webhooks")]
    [InlineData("https://example.com:8443/webhooks?tenant=42")]
    [InlineData("https://hooks.example.com")]
    [InlineData("https://93.184.215.14/hooks")]
    [InlineData("https://[2606:4700:4700::1111]/hooks")]
    [InlineData("HTTPS://EXAMPLE.COM/Hooks")]
    [InlineData("https://bücher.example/hooks")]
    public void Validate_GoodHttpsUrl_IsValid(string url)
    {
        var result = WebhookUrlValidator.Validate(url, SsrfPolicy.Default, requireHttps: true);

        result.IsValid.Should().BeTrue(result.Message);
        result.Url!.IsAbsoluteUri.Should().BeTrue();
        result.Message.Should().BeNull();
    }

    [Theory]
    [InlineData(null, "Empty")]
    [InlineData("", "Empty")]
    [InlineData("   ", "Empty")]
    [InlineData("/hooks", "NotAbsolute")]
    [InlineData("hooks", "NotAbsolute")]
    [InlineData("example.com/hooks", "NotAbsolute")]
    [InlineData("https://exa mple.com/", "NotAbsolute")]
    [InlineData("http:///hooks", "NotAbsolute")]
    [InlineData("https://example.com:99999/", "NotAbsolute")]
    [InlineData("ftp://example.com/hooks", "UnsupportedScheme")]
    [InlineData("file:///etc/passwd", "UnsupportedScheme")]
    [InlineData("gopher://example.com/", "UnsupportedScheme")]
    [InlineData("https://user:pass@example.com/hooks", "UserInfo")]
    [InlineData("https://user@example.com/hooks", "UserInfo")]
    [InlineData("https://example.com/hooks#part", "Fragment")]
    [InlineData("https://example.com/hooks#", "Fragment")]
    [InlineData("http://example.com/hooks", "HttpsRequired")]
    [InlineData("https://127.0.0.1/hooks", "BlockedAddress")]
    [InlineData("https://[::1]/hooks", "BlockedAddress")]
    [InlineData("https://10.0.0.5/hooks", "BlockedAddress")]
    [InlineData("https://169.254.169.254/latest/meta-data", "BlockedAddress")]
    [InlineData("https://[::ffff:192.168.0.1]/", "BlockedAddress")]
    [InlineData("https://[fd00:ec2::254]/", "BlockedAddress")]
    [InlineData("https://0x7f.1/", "BlockedAddress")]
    [InlineData("https://2130706433/", "BlockedAddress")]
    [InlineData("https://localhost/hooks", "BlockedAddress")]
    [InlineData("https://LOCALHOST./hooks", "BlockedAddress")]
    [InlineData("https://api.localhost/hooks", "BlockedAddress")]
    public void Validate_BadUrl_ReturnsTheError(string? url, string expected)
    {
        var result = WebhookUrlValidator.Validate(url, SsrfPolicy.Default, requireHttps: true);

        result.IsValid.Should().BeFalse();
        result.Error.ToString().Should().Be(expected);
        result.Url.Should().BeNull();
        result.Message.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Validate_TooLong_NamesTheLengthAndLimit()
    {
        var url = "https://example.com/" + new string('a', WebhookUrlValidator.MaxLength);

        var result = WebhookUrlValidator.Validate(url, SsrfPolicy.Default, requireHttps: true);

        result.Error.Should().Be(WebhookUrlError.TooLong);
        result.Message.Should().Contain($"{url.Length} characters").And.Contain("2048");
    }

    [Fact]
    public void Validate_ExactlyMaxLength_IsValid()
    {
        var prefix = "https://example.com/";
        var url = prefix + new string('a', WebhookUrlValidator.MaxLength - prefix.Length);

        WebhookUrlValidator.Validate(url, SsrfPolicy.Default, requireHttps: true).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_HttpWhenHttpsNotRequired_IsValid()
    {
        WebhookUrlValidator.Validate("http://example.com/hooks", SsrfPolicy.Default, requireHttps: false).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_HttpsRequired_MessageNamesTheHostAndTheOption()
    {
        var result = WebhookUrlValidator.Validate("http://example.com/hooks/secret-token", SsrfPolicy.Default, requireHttps: true);

        result.Message.Should().Contain("'http://example.com'").And.Contain("RequireHttps").And.NotContain("secret-token");
    }

    [Fact]
    public void Validate_Credentials_MessageNamesTheHostButNotTheCredentials()
    {
        var result = WebhookUrlValidator.Validate("https://admin:hunter2@example.com/hooks", SsrfPolicy.Default, requireHttps: true);

        result.Message.Should().Contain("example.com").And.NotContain("hunter2").And.NotContain("admin");
    }

    [Fact]
    public void Validate_BlockedLiteral_MessageNamesAddressCategoryAndTheFix()
    {
        var result = WebhookUrlValidator.Validate("https://127.0.0.1:5001/hooks?key=abc", SsrfPolicy.Default, requireHttps: true);

        result.Message.Should().Contain("'https://127.0.0.1:5001'").And.Contain("loopback").And.Contain("AllowedNetworks")
            .And.NotContain("key=abc");
    }

    [Fact]
    public void Validate_NotAbsolute_QuotesTheValueTruncated()
    {
        var result = WebhookUrlValidator.Validate("not a url " + new string('x', 100), SsrfPolicy.Default, requireHttps: true);

        result.Message.Should().Contain("'not a url xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/hooks")]
    [InlineData("http://localhost:5000/hooks")]
    [InlineData("http://[::ffff:127.0.0.1]:5000/hooks")]
    public void Validate_LoopbackAllowListed_IsValid(string url)
    {
        var options = new WebhookSsrfOptions();
        options.AllowedNetworks.Add("127.0.0.0/8");

        var result = WebhookUrlValidator.Validate(url, SsrfPolicy.Create(options), requireHttps: false);

        result.IsValid.Should().BeTrue(result.Message);
    }

    [Fact]
    public void Validate_LocalhostInAllowedHosts_IsValid()
    {
        var options = new WebhookSsrfOptions();
        options.AllowedHosts.Add("localhost");

        WebhookUrlValidator.Validate("http://localhost:5000/", SsrfPolicy.Create(options), requireHttps: false).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_GuardDisabled_AcceptsPrivateLiteralButStillChecksTheRest()
    {
        var policy = SsrfPolicy.Create(new WebhookSsrfOptions { Enabled = false });

        WebhookUrlValidator.Validate("https://10.0.0.5/hooks", policy, requireHttps: true).IsValid.Should().BeTrue();
        WebhookUrlValidator.Validate("http://10.0.0.5/hooks", policy, requireHttps: true).Error.Should().Be(WebhookUrlError.HttpsRequired);
    }

    [Fact]
    public void Validate_RelativeUri_IsNotAbsolute()
    {
        var result = WebhookUrlValidator.Validate(new Uri("/hooks", UriKind.Relative), SsrfPolicy.Default, requireHttps: true);

        result.Error.Should().Be(WebhookUrlError.NotAbsolute);
    }

    [Fact]
    public void Validate_NullUri_IsEmpty()
    {
        WebhookUrlValidator.Validate((Uri?)null, SsrfPolicy.Default, requireHttps: true).Error.Should().Be(WebhookUrlError.Empty);
    }
}
