using Webhooks.Core;

namespace Webhooks.Core.Tests;

public class WebhookSecretTests
{
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    [Fact]
    public void Generate_Default_Has32RandomBytes()
    {
        var first = WebhookSecret.Generate();
        var second = WebhookSecret.Generate();

        first.KeySize.Should().Be(32);
        first.Should().NotBe(second);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(64)]
    public void Generate_SizeInRange_HasThatSize(int size) =>
        WebhookSecret.Generate(size).KeySize.Should().Be(size);

    [Theory]
    [InlineData(23)]
    [InlineData(65)]
    [InlineData(0)]
    public void Generate_SizeOutOfRange_Throws(int size) =>
        FluentActions.Invoking(() => WebhookSecret.Generate(size)).Should().Throw<ArgumentOutOfRangeException>();

    [Fact]
    public void FromBytes_CopiesTheKey()
    {
        var bytes = new byte[32];
        bytes[0] = 1;
        var secret = WebhookSecret.FromBytes(bytes);
        bytes[0] = 2;

        secret.Key[0].Should().Be(1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(23)]
    [InlineData(65)]
    public void FromBytes_WrongLength_Throws(int size) =>
        FluentActions.Invoking(() => WebhookSecret.FromBytes(new byte[size])).Should().Throw<ArgumentException>().WithMessage("*24 to 64 bytes*");

    [Fact]
    public void Parse_WithAndWithoutPrefix_GiveTheSameKey()
    {
        var withPrefix = WebhookSecret.Parse(SpecSecret);
        var bare = WebhookSecret.Parse(SpecSecret[WebhookSecret.Prefix.Length..]);

        withPrefix.Should().Be(bare);
        withPrefix.KeySize.Should().Be(24);
    }

    [Fact]
    public void Parse_SurroundingWhiteSpace_IsIgnored() =>
        WebhookSecret.Parse(" " + SpecSecret + "\n").Should().Be(WebhookSecret.Parse(SpecSecret));

    [Fact]
    public void RevealEncoded_RoundTrips()
    {
        var secret = WebhookSecret.Generate();

        var encoded = secret.RevealEncoded();

        encoded.Should().StartWith("whsec_");
        WebhookSecret.Parse(encoded).Should().Be(secret);
    }

    [Fact]
    public void RevealEncoded_SpecSecret_IsUnchanged() =>
        WebhookSecret.Parse(SpecSecret).RevealEncoded().Should().Be(SpecSecret);

    [Fact]
    public void Parse_Null_ThrowsArgumentNull() =>
        FluentActions.Invoking(() => WebhookSecret.Parse(null!)).Should().Throw<ArgumentNullException>();

    [Theory]
    [InlineData("", "*empty*")]
    [InlineData("whsec_", "*empty*")]
    [InlineData("   ", "*empty*")]
    [InlineData("whsec_not base64!!", "*not valid base64*")]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", "*not valid base64*")]
    [InlineData("whsec_MfKQ9r8G KYqrTwjUPD8ILPZIo2LaLaS", "*not valid base64*")]
    [InlineData("whsec_c2hvcnQ=", "*5 bytes*24 to 64*")]
    public void Parse_Invalid_ThrowsFormatExceptionWithoutTheValue(string value, string message)
    {
        var act = () => WebhookSecret.Parse(value);

        var error = act.Should().Throw<FormatException>().WithMessage(message).Which.Message;
        if (value.Trim().Length > WebhookSecret.Prefix.Length)
        {
            error.Should().NotContain(value.Trim()[WebhookSecret.Prefix.Length..]);
        }
    }

    [Fact]
    public void Parse_TooLong_ThrowsWithoutTheValue()
    {
        var value = WebhookSecret.Prefix + Convert.ToBase64String(new byte[65]);

        var act = () => WebhookSecret.Parse(value);

        act.Should().Throw<FormatException>().WithMessage("*65 bytes*").Which.Message.Should().NotContain(value[6..]);
    }

    [Fact]
    public void Parse_HugeValue_ThrowsFormatException()
    {
        var value = WebhookSecret.Prefix + new string('A', 1_000_000);

        var act = () => WebhookSecret.Parse(value);

        act.Should().Throw<FormatException>().WithMessage("*too long*");
    }

    [Fact]
    public void TryParse_Invalid_ReturnsFalseAndAnError()
    {
        WebhookSecret.TryParse("whsec_@@@@", out var secret, out var error).Should().BeFalse();

        secret.Should().BeNull();
        error!.Should().Contain("base64").And.NotContain("@@@@");
        WebhookSecret.TryParse(null, out _).Should().BeFalse();
    }

    [Fact]
    public void TryParse_Valid_ReturnsTrue()
    {
        WebhookSecret.TryParse(SpecSecret, out var secret, out var error).Should().BeTrue();

        secret!.KeySize.Should().Be(24);
        error.Should().BeNull();
    }

    [Fact]
    public void ToString_NeverContainsTheKey()
    {
        var secret = WebhookSecret.Parse(SpecSecret);

        var text = secret.ToString();

        text.Should().NotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").And.Contain("redacted").And.Contain("24 bytes");
        $"{secret}".Should().Be(text);
    }

    [Fact]
    public void Equals_ComparesKeys()
    {
        var a = WebhookSecret.Parse(SpecSecret);
        var b = WebhookSecret.Parse(SpecSecret);
        var c = WebhookSecret.Generate(24);

        a.Equals(b).Should().BeTrue();
        a.Equals((object)b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.Equals(c).Should().BeFalse();
        c.Equals((WebhookSecret?)null).Should().BeFalse();
        b.Equals(WebhookSecret.Generate(32)).Should().BeFalse();
    }
}
