using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Webhooks.Sender.Security;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Security;

public class WebhookSsrfOptionsValidatorTests
{
    private readonly WebhookSsrfOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var options = new WebhookSsrfOptions();

        _validator.Validate(null, options).Succeeded.Should().BeTrue();
        options.Enabled.Should().BeTrue();
        options.RequireHttps.Should().BeNull();
        options.AllowedNetworks.Should().BeEmpty();
        options.AllowedHosts.Should().BeEmpty();
    }

    [Fact]
    public void Validate_GoodEntries_Succeeds()
    {
        var options = SsrfTestOptions.Create(
            networks: ["10.0.0.0/8", "127.0.0.0/8", "192.168.1.10", "fd12:3456::/32", "::1", "0.0.0.0/0", "::/0", "172.16.0.0/12"],
            hosts: ["hooks.internal.example", "*.internal.example", "localhost", "svc.", "bücher.example"]);

        var result = _validator.Validate(null, options);

        result.Succeeded.Should().BeTrue(result.FailureMessage);
    }

    [Theory]
    [InlineData("10.0.0.1/8", "has bits set after the /8 prefix; did you mean '10.0.0.0/8'?")]
    [InlineData("192.168.1.1/24", "did you mean '192.168.1.0/24'?")]
    [InlineData("fd12:3456::1/32", "did you mean 'fd12:3456::/32'?")]
    [InlineData("10.0.0.0/33", "the prefix length must be a number from 0 to 32")]
    [InlineData("::/129", "the prefix length must be a number from 0 to 128")]
    [InlineData("10.0.0.0/", "the prefix length must be a number")]
    [InlineData("10.0.0.0/-1", "the prefix length must be a number")]
    [InlineData("10.0.0.0/ 8", "the prefix length must be a number")]
    [InlineData("10.0.0.0/8/8", "the prefix length must be a number")]
    [InlineData("10/8", "'10' is not an IPv4 or IPv6 address")]
    [InlineData("10.1/16", "'10.1' is not an IPv4 or IPv6 address")]
    [InlineData("0x0a.0.0.0/8", "is not an IPv4 or IPv6 address")]
    [InlineData("intranet/8", "'intranet' is not an IPv4 or IPv6 address")]
    [InlineData("fe80::1%eth0/64", "is not an IPv4 or IPv6 address")]
    [InlineData("256.0.0.0/8", "is not an IPv4 or IPv6 address")]
    public void Validate_BadNetwork_QuotesItAndSaysWhatToWrite(string network, string expected)
    {
        var result = _validator.Validate(null, SsrfTestOptions.Create(networks: ["10.0.0.0/8", network]));

        result.Failed.Should().BeTrue();
        result.Failures.Should().ContainSingle().Which.Should()
            .StartWith("WebhookSsrfOptions.AllowedNetworks[1] ")
            .And.Contain($"'{network}'")
            .And.Contain(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_EmptyNetwork_SaysWhatToWrite(string network)
    {
        var result = _validator.Validate(null, SsrfTestOptions.Create(networks: [network]));

        result.Failures.Should().ContainSingle().Which.Should().Contain("is empty").And.Contain("'10.20.0.0/16'");
    }

    [Theory]
    [InlineData("*", "would allow every host")]
    [InlineData("*.", "would allow every host")]
    [InlineData("", "is empty")]
    [InlineData("https://hooks.example", "is not a host name")]
    [InlineData("hooks.example:8443", "is not a host name")]
    [InlineData("hooks.example/path", "is not a host name")]
    [InlineData("hooks example", "is not a host name")]
    [InlineData("*hooks.example", "is not a host name")]
    [InlineData("a.*.example", "is not a host name")]
    [InlineData("127.0.0.1", "is an IP address; list addresses in WebhookSsrfOptions.AllowedNetworks")]
    [InlineData("[::1]", "is an IP address")]
    [InlineData("::1", "is an IP address")]
    public void Validate_BadHost_QuotesItAndSaysWhatToWrite(string host, string expected)
    {
        var result = _validator.Validate(null, SsrfTestOptions.Create(hosts: [host]));

        result.Failures.Should().ContainSingle().Which.Should()
            .StartWith("WebhookSsrfOptions.AllowedHosts[0] ")
            .And.Contain(expected);
        if (host.Length > 0)
        {
            result.Failures!.Single().Should().Contain($"'{host}'");
        }
    }

    [Fact]
    public void Validate_SeveralBadEntries_ReportsEveryOne()
    {
        var result = _validator.Validate("named", SsrfTestOptions.Create(networks: ["x", "10.0.0.0/8", "1.2.3.4/40"], hosts: ["*"]));

        result.Failures.Should().HaveCount(3);
        result.FailureMessage.Should().Contain("AllowedNetworks[0]").And.Contain("AllowedNetworks[2]").And.Contain("AllowedHosts[0]");
    }

    [Fact]
    public void Collect_NestedPath_PrefixesEveryMessage()
    {
        var failures = WebhookSsrfOptionsValidator.Collect(SsrfTestOptions.Create(networks: ["nope"]), "WebhookSenderOptions.Ssrf");

        failures.Should().ContainSingle().Which.Should().StartWith("WebhookSenderOptions.Ssrf.AllowedNetworks[0] 'nope'");
    }

    [Fact]
    public void SsrfPolicyCreate_BadOptions_ThrowsWithTheValidatorMessage()
    {
        var act = () => SsrfPolicy.Create(SsrfTestOptions.Create(networks: ["10.0.0.1/8"]));

        act.Should().Throw<ArgumentException>().WithMessage("*did you mean '10.0.0.0/8'?*");
    }

    [Fact]
    public void Options_BoundFromConfiguration_FillsTheLists()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ssrf:Enabled"] = "true",
            ["Ssrf:RequireHttps"] = "false",
            ["Ssrf:AllowedNetworks:0"] = "10.0.0.0/8",
            ["Ssrf:AllowedNetworks:1"] = "fd00::/8",
            ["Ssrf:AllowedHosts:0"] = "*.internal.example",
        }).Build();
        var options = new WebhookSsrfOptions();

        configuration.GetSection("Ssrf").Bind(options);

        options.RequireHttps.Should().BeFalse();
        options.AllowedNetworks.Should().Equal("10.0.0.0/8", "fd00::/8");
        options.AllowedHosts.Should().Equal("*.internal.example");
        _validator.Validate(Microsoft.Extensions.Options.Options.DefaultName, options).Succeeded.Should().BeTrue();
    }
}
