using System.Net;
using Webhooks.Sender.Security;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Security;

public class SsrfPolicyTests
{
    [Theory]
    [InlineData("hooks.internal.example", "hooks.internal.example", true)]
    [InlineData("hooks.internal.example", "HOOKS.Internal.Example", true)]
    [InlineData("hooks.internal.example", "hooks.internal.example.", true)]
    [InlineData("hooks.internal.example.", "hooks.internal.example", true)]
    [InlineData("hooks.internal.example", "a.hooks.internal.example", false)]
    [InlineData("hooks.internal.example", "hooks.internal.example.evil.test", false)]
    [InlineData("*.internal.example", "a.internal.example", true)]
    [InlineData("*.internal.example", "a.b.internal.example", true)]
    [InlineData("*.internal.example", "internal.example", false)]
    [InlineData("*.internal.example", "evilinternal.example", false)]
    [InlineData("*.internal.example", "a.internal.example.evil.test", false)]
    [InlineData("bücher.example", "xn--bcher-kva.example", true)]
    public void IsHostAllowed_Pattern_MatchesAsDocumented(string pattern, string host, bool expected)
    {
        var policy = SsrfPolicy.Create(SsrfTestOptions.Create(hosts: [pattern]));

        policy.IsHostAllowed(host).Should().Be(expected);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.0/8", true)]
    [InlineData("::ffff:127.0.0.1", "127.0.0.0/8", true)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.0/104", false)]
    [InlineData("10.1.2.3", "10.1.0.0/16", true)]
    [InlineData("10.2.0.0", "10.1.0.0/16", false)]
    [InlineData("192.168.1.10", "192.168.1.10", true)]
    [InlineData("192.168.1.11", "192.168.1.10", false)]
    [InlineData("fd12:3456::1", "fd12:3456::/32", true)]
    [InlineData("fe80::1%3", "fe80::/10", true)]
    [InlineData("::1", "127.0.0.0/8", false)]
    [InlineData("8.8.8.8", "10.0.0.0/8", true)]
    public void IsAllowed_AddressAndNetwork_AllowsWhenContainedOrPublic(string address, string network, bool expected)
    {
        var policy = SsrfPolicy.Create(SsrfTestOptions.Create(networks: [network]));

        policy.IsAllowed(IPAddress.Parse(address), hostAllowed: false, out _).Should().Be(expected);
    }

    [Theory]
    [InlineData("169.254.169.254", "169.254.0.0/16", false)]
    [InlineData("169.254.169.254", "0.0.0.0/0", false)]
    [InlineData("169.254.169.254", "169.254.169.254", true)]
    [InlineData("169.254.169.254", "169.254.169.254/32", true)]
    [InlineData("::ffff:169.254.169.254", "169.254.169.254", true)]
    [InlineData("fd00:ec2::254", "fd00::/8", false)]
    [InlineData("fd00:ec2::254", "fd00:ec2::254", true)]
    [InlineData("100.100.100.200", "100.64.0.0/10", false)]
    public void IsAllowed_MetadataAddress_OnlyAnExactEntryOpensIt(string address, string network, bool expected)
    {
        var policy = SsrfPolicy.Create(SsrfTestOptions.Create(networks: [network]));

        policy.IsAllowed(IPAddress.Parse(address), hostAllowed: true, out var category).Should().Be(expected);
        category.Should().Be(AddressCategory.CloudMetadata);
    }

    [Fact]
    public void IsAllowed_MetadataAddressBehindAnAllowedRangeAndHost_IsStillRefused()
    {
        // Pure policy check (no connection): the guard asks exactly this for an allow-listed host and range.
        var policy = SsrfPolicy.Create(SsrfTestOptions.Create(networks: ["169.254.0.0/16"], hosts: ["meta.test"]));

        policy.IsHostAllowed("meta.test").Should().BeTrue();
        policy.IsAllowed(IPAddress.Parse("169.254.169.254"), hostAllowed: policy.IsHostAllowed("meta.test"), out var category).Should().BeFalse();
        category.Should().Be(AddressCategory.CloudMetadata);
    }

    [Fact]
    public void IsAllowed_HostAllowed_AllowsAnyNonMetadataAddress()
    {
        SsrfPolicy.Default.IsAllowed(IPAddress.Parse("10.0.0.1"), hostAllowed: true, out var category).Should().BeTrue();
        category.Should().Be(AddressCategory.Private);
    }

    [Fact]
    public void IsAllowed_Disabled_AllowsEverythingButStillClassifies()
    {
        var policy = SsrfPolicy.Create(new WebhookSsrfOptions { Enabled = false });

        policy.IsAllowed(IPAddress.Parse("169.254.169.254"), hostAllowed: false, out var category).Should().BeTrue();
        category.Should().Be(AddressCategory.CloudMetadata);
    }

    [Fact]
    public void IsAllowed_DefaultPolicy_RefusesLoopbackAndAllowsPublic()
    {
        SsrfPolicy.Default.IsAllowed(IPAddress.Loopback, hostAllowed: false, out var loopback).Should().BeFalse();
        SsrfPolicy.Default.IsAllowed(IPAddress.Parse("1.1.1.1"), hostAllowed: false, out var pub).Should().BeTrue();
        loopback.Should().Be(AddressCategory.Loopback);
        pub.Should().Be(AddressCategory.Public);
    }
}
