namespace Webhooks.Cli.Tests;

public sealed class SignVerifyCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Sign_SpecificationVector_PrintsTheSignatureAloneOnTheLastLine()
    {
        var result = await Cli.RunAsync("sign", "--secret", Cli.Secret, "--id", Cli.MessageId, "--timestamp", Cli.Timestamp, "--body-file", Cli.BodyFile(Cli.Payload, _folder));

        result.ExitCode.Should().Be(0);
        result.Lines[^1].Should().Be(Cli.Signature);
        result.Lines.Should().Contain("webhook-id: " + Cli.MessageId);
        result.Err.Should().BeEmpty();
    }

    [Fact]
    public async Task Verify_SpecificationVector_AtItsTime_IsValid()
    {
        var result = await Verify(Cli.Payload, "--now", Cli.Timestamp);

        result.ExitCode.Should().Be(0);
        result.Out.Trim().Should().Be("valid");
    }

    [Fact]
    public async Task Verify_TamperedBody_Exits1_AndSaysNoSignatureMatches()
    {
        var result = await Verify("{\"test\": 2432232315}", "--now", Cli.Timestamp);

        result.ExitCode.Should().Be(1);
        result.Out.Should().StartWith("invalid: no signature matches");
    }

    [Fact]
    public async Task Verify_StaleTimestamp_Exits1_AndSaysTooOld()
    {
        var result = await Verify(Cli.Payload, "--now", "2021-02-25T15:12:10Z");

        result.ExitCode.Should().Be(1);
        result.Out.Should().Contain("invalid: the timestamp is too old").And.Contain("tolerance 300 s");
    }

    [Fact]
    public async Task Verify_TimestampAhead_OrWiderTolerance()
    {
        (await Verify(Cli.Payload, "--now", "1614264000")).Out.Should().Contain("too far in the future");
        (await Verify(Cli.Payload, "--now", "2021-02-25T15:12:10Z", "--tolerance", "3600")).ExitCode.Should().Be(0);
    }

    [Theory]
    [InlineData("github", "It's a Secret to Everybody")]
    [InlineData("stripe", "whsec_test_secret")]
    [InlineData("shopify", "hush")]
    [InlineData("slack", "8f742231b10e8888abcd99yyyzzz85a5")]
    [InlineData("standard", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    public async Task SignThenVerify_EveryScheme_RoundTrips_AndATamperedBodyFails(string scheme, string secret)
    {
        var body = Cli.BodyFile("""{"id":"evt_1","type":"invoice.paid"}""", _folder);
        var tampered = Cli.BodyFile("""{"id":"evt_1","type":"invoice.paid "}""", _folder);
        string[] idArgs = scheme is "standard" ? ["--id", "msg_1"] : [];
        string[] timeArgs = scheme is "standard" or "slack" or "stripe" ? ["--timestamp", Cli.Timestamp] : [];
        string[] verifyTime = scheme is "standard" or "slack" ? ["--timestamp", Cli.Timestamp] : [];

        var signed = await Cli.RunAsync(["sign", "--scheme", scheme, "--secret", secret, .. idArgs, .. timeArgs, "--body-file", body]);
        string[] verify = ["verify", "--scheme", scheme, "--secret", secret, .. idArgs, .. verifyTime, "--signature", signed.Lines[^1], "--now", Cli.Timestamp];
        var valid = await Cli.RunAsync([.. verify, "--body-file", body]);
        var invalid = await Cli.RunAsync([.. verify, "--body-file", tampered]);

        signed.ExitCode.Should().Be(0, signed.Err);
        valid.ExitCode.Should().Be(0, valid.Out + valid.Err);
        invalid.ExitCode.Should().Be(1);
        invalid.Out.Should().StartWith("invalid:");
    }

    [Fact]
    public async Task Sign_BodyFromStandardInput()
    {
        var stdout = new StringWriter();
        var code = await Program.RunAsync(
            ["sign", "--secret", Cli.Secret, "--id", Cli.MessageId, "--timestamp", Cli.Timestamp, "--body-file", "-"], stdout, new StringWriter(), new StringReader(Cli.Payload));

        code.Should().Be(0);
        stdout.ToString().TrimEnd().Should().EndWith(Cli.Signature);
    }

    [Theory]
    [InlineData(new[] { "sign", "--id", "m", "--timestamp", "1", "--body-file", "x" }, "--secret is required")]
    [InlineData(new[] { "sign", "--secret", "s", "--bogus", "1" }, "Unknown option '--bogus'")]
    [InlineData(new[] { "sign", "--scheme", "svix", "--secret", "s" }, "--scheme must be one of standard|github|stripe|shopify|slack, not 'svix'")]
    [InlineData(new[] { "sign", "--secret", Cli.Secret, "--id", "m", "--timestamp", "12:00", "--body-file", "x" }, "--timestamp must be unix seconds")]
    [InlineData(new[] { "sign", "--secret", Cli.Secret, "--id", "m", "--body-file", "/nonexistent/body.json" }, "--body-file: cannot read '/nonexistent/body.json'")]
    [InlineData(new[] { "verify", "--secret", "whsec_short", "--id", "m", "--timestamp", "1", "--signature", "v1,x", "--body-file", "x" }, "--secret: The secret is not a valid Standard Webhooks secret")]
    [InlineData(new[] { "verify", "--secret", Cli.Secret, "--id", "m", "--timestamp", "1", "--signature", "v1,x", "--body-file", "x", "--now", "tomorrow" }, "--now must be unix seconds or an ISO 8601 time")]
    [InlineData(new[] { "sign", "--secret", "s", "--secret", "t" }, "--secret is given twice")]
    [InlineData(new[] { "sign", "--secret" }, "--secret needs a value")]
    [InlineData(new[] { "sign", "stray" }, "Unexpected argument 'stray'")]
    [InlineData(new[] { "sign", "--scheme", "github", "--secret", "s", "--timestamp", "1", "--body-file", "x" }, "GitHub signs no timestamp")]
    public async Task UsageErrors_Exit2_AndNameTheArgument(string[] args, string message)
    {
        var result = await Cli.RunAsync(args);

        result.ExitCode.Should().Be(2);
        result.Err.Should().Contain(message).And.Contain($"Run 'webhooks {args[0]} --help'");
        result.Out.Should().BeEmpty();
    }

    [Fact]
    public async Task UsageError_BadSecret_DoesNotRepeatTheSecret()
    {
        var result = await Cli.RunAsync("verify", "--secret", "whsec_c2VjcmV0LXZhbHVl", "--id", "m", "--timestamp", "1", "--signature", "v1,x", "--body-file", "x");

        result.ExitCode.Should().Be(2);
        result.Err.Should().NotContain("c2VjcmV0LXZhbHVl");
    }

    private Task<Cli.Result> Verify(string body, params string[] more) =>
        Cli.RunAsync(["verify", "--secret", Cli.Secret, "--id", Cli.MessageId, "--timestamp", Cli.Timestamp, "--signature", Cli.Signature, "--body-file", Cli.BodyFile(body, _folder), .. more]);
}
