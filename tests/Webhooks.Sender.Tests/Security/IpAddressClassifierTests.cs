using System.Net;
using Webhooks.Sender.Security;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Security;

public class IpAddressClassifierTests
{
    public static TheoryData<string, string> Cases => new()
    {
        // Unspecified and "this network" 0.0.0.0/8
        { "0.0.0.0", "Unspecified" },
        { "0.0.0.1", "Reserved" },
        { "0.255.255.255", "Reserved" },
        { "1.0.0.0", "Public" },

        // RFC 1918
        { "9.255.255.255", "Public" },
        { "10.0.0.0", "Private" },
        { "10.255.255.255", "Private" },
        { "11.0.0.0", "Public" },
        { "172.15.255.255", "Public" },
        { "172.16.0.0", "Private" },
        { "172.31.255.255", "Private" },
        { "172.32.0.0", "Public" },
        { "192.167.255.255", "Public" },
        { "192.168.0.0", "Private" },
        { "192.168.255.255", "Private" },
        { "192.169.0.0", "Public" },

        // CGNAT 100.64.0.0/10
        { "100.63.255.255", "Public" },
        { "100.64.0.0", "SharedAddressSpace" },
        { "100.127.255.255", "SharedAddressSpace" },
        { "100.128.0.0", "Public" },

        // Loopback
        { "126.255.255.255", "Public" },
        { "127.0.0.0", "Loopback" },
        { "127.0.0.1", "Loopback" },
        { "127.255.255.255", "Loopback" },
        { "128.0.0.0", "Public" },

        // Link-local
        { "169.253.255.255", "Public" },
        { "169.254.0.0", "LinkLocal" },
        { "169.254.255.255", "LinkLocal" },
        { "169.255.0.0", "Public" },

        // IETF protocol assignments 192.0.0.0/24, TEST-NET-1, 6to4 relay anycast
        { "191.255.255.255", "Public" },
        { "192.0.0.0", "Reserved" },
        { "192.0.0.255", "Reserved" },
        { "192.0.1.0", "Public" },
        { "192.0.2.0", "Documentation" },
        { "192.0.2.255", "Documentation" },
        { "192.0.3.0", "Public" },
        { "192.88.98.255", "Public" },
        { "192.88.99.0", "Reserved" },
        { "192.88.99.255", "Reserved" },
        { "192.88.100.0", "Public" },

        // Benchmarking 198.18.0.0/15, TEST-NET-2, TEST-NET-3
        { "198.17.255.255", "Public" },
        { "198.18.0.0", "Benchmarking" },
        { "198.19.255.255", "Benchmarking" },
        { "198.20.0.0", "Public" },
        { "198.51.99.255", "Public" },
        { "198.51.100.0", "Documentation" },
        { "198.51.100.255", "Documentation" },
        { "198.51.101.0", "Public" },
        { "203.0.112.255", "Public" },
        { "203.0.113.0", "Documentation" },
        { "203.0.113.255", "Documentation" },
        { "203.0.114.0", "Public" },

        // Multicast, reserved 240/4, broadcast
        { "223.255.255.255", "Public" },
        { "224.0.0.0", "Multicast" },
        { "239.255.255.255", "Multicast" },
        { "240.0.0.0", "Reserved" },
        { "255.255.255.254", "Reserved" },
        { "255.255.255.255", "Broadcast" },

        // Cloud metadata (inside link-local, CGNAT, or public space) and their neighbours
        { "169.254.169.254", "CloudMetadata" },
        { "169.254.169.253", "LinkLocal" },
        { "169.254.169.255", "LinkLocal" },
        { "169.254.170.2", "CloudMetadata" },
        { "100.100.100.200", "CloudMetadata" },
        { "100.100.100.201", "SharedAddressSpace" },
        { "168.63.129.16", "CloudMetadata" },
        { "168.63.129.15", "Public" },
        { "168.63.129.17", "Public" },

        // Public IPv4
        { "8.8.8.8", "Public" },
        { "1.1.1.1", "Public" },
        { "93.184.215.14", "Public" },

        // IPv6 unspecified, loopback, IPv4-compatible ::/96 (deprecated)
        { "::", "Unspecified" },
        { "::1", "Loopback" },
        { "::2", "Reserved" },
        { "::127.0.0.1", "Loopback" },
        { "::10.0.0.1", "Private" },
        { "::8.8.8.8", "Reserved" },
        { "::1:0:0:0", "Reserved" },

        // IPv4-mapped ::ffff:0:0/96
        { "::ffff:127.0.0.1", "Loopback" },
        { "::ffff:10.1.2.3", "Private" },
        { "::ffff:169.254.169.254", "CloudMetadata" },
        { "::ffff:0.0.0.0", "Unspecified" },
        { "::ffff:255.255.255.255", "Broadcast" },
        { "::ffff:8.8.8.8", "Public" },
        { "::fffe:ffff:ffff", "Reserved" },

        // IPv4-translated ::ffff:0:0:0/96
        { "::ffff:0:127.0.0.1", "Loopback" },
        { "::ffff:0:192.168.1.1", "Private" },
        { "::ffff:0:8.8.8.8", "Public" },

        // NAT64 64:ff9b::/96 and local-use 64:ff9b:1::/48
        { "64:ff9b::127.0.0.1", "Loopback" },
        { "64:ff9b::169.254.169.254", "CloudMetadata" },
        { "64:ff9b::100.64.0.1", "SharedAddressSpace" },
        { "64:ff9b::8.8.8.8", "Public" },
        { "64:ff9b::1:0:0:1", "Reserved" },
        { "64:ff9b:1::10.0.0.1", "Private" },
        { "64:ff9b:1::8.8.8.8", "Public" },
        { "64:ff9b:1:ffff::1", "Reserved" },
        { "64:ff9b:2::1", "Reserved" },

        // 6to4 2002::/16: the IPv4 address in bits 16..47
        { "2002:7f00:1::", "Loopback" },
        { "2002:a9fe:a9fe::1", "CloudMetadata" },
        { "2002:c0a8:101::1", "Private" },
        { "2002:808:808::1", "Public" },
        { "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Public" },
        { "2003::", "Public" },

        // 2001::/23 IETF protocol assignments, Teredo 2001::/32, benchmarking 2001:2::/48
        { "2001::", "Reserved" },
        { "2001:0:4136:e378:8000:63bf:3fff:fdd2", "Reserved" },
        { "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "Reserved" },
        { "2001:200::", "Public" },
        { "2001:2::", "Benchmarking" },
        { "2001:2:0:ffff:ffff:ffff:ffff:ffff", "Benchmarking" },

        // Documentation 2001:db8::/32 and 3fff::/20
        { "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "Public" },
        { "2001:db8::", "Documentation" },
        { "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "Documentation" },
        { "2001:db9::", "Public" },
        { "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Public" },
        { "3fff::", "Documentation" },
        { "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "Documentation" },
        { "3fff:1000::", "Public" },

        // Discard-only 100::/64, SRv6 5f00::/16
        { "100::", "Reserved" },
        { "100::ffff:ffff:ffff:ffff", "Reserved" },
        { "5f00::1", "Reserved" },

        // Unique local fc00::/7 (with the AWS metadata address), link-local, site-local, multicast
        { "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Reserved" },
        { "fc00::", "UniqueLocal" },
        { "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "UniqueLocal" },
        { "fd00:ec2::254", "CloudMetadata" },
        { "fd00:ec2::253", "UniqueLocal" },
        { "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Reserved" },
        { "fe80::", "LinkLocal" },
        { "fe80::1%2", "LinkLocal" },
        { "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "LinkLocal" },
        { "fec0::", "SiteLocal" },
        { "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "SiteLocal" },
        { "ff00::", "Multicast" },
        { "ff02::1", "Multicast" },
        { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Multicast" },

        // Outside global unicast 2000::/3 and public IPv6
        { "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Reserved" },
        { "4000::", "Reserved" },
        { "2000::", "Public" },
        { "2606:4700:4700::1111", "Public" },
        { "2001:4860:4860::8888", "Public" },
        { "2a00:1450:4001:80b::200e", "Public" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_TableOfAddresses_ReturnsExpectedCategory(string address, string expected)
    {
        var category = IpAddressClassifier.Classify(IPAddress.Parse(address));

        category.ToString().Should().Be(expected, because: $"{address} is {expected}");
    }

    [Fact]
    public void Classify_EveryCategory_AppearsInTheTable()
    {
        var covered = Cases.Select(row => (string)row[1]).ToHashSet();

        covered.Should().BeEquivalentTo(Enum.GetNames<AddressCategory>());
    }

    [Fact]
    public void Classify_SameAddressFromManyThreads_IsStable()
    {
        var address = IPAddress.Parse("::ffff:169.254.169.254");

        var results = Enumerable.Range(0, 1000).AsParallel().Select(_ => IpAddressClassifier.Classify(address)).Distinct().ToList();

        results.Should().Equal(AddressCategory.CloudMetadata);
    }

    [Fact]
    public void Classify_Null_Throws()
    {
        var act = () => IpAddressClassifier.Classify(null!);

        act.Should().Throw<ArgumentNullException>();
    }
}
