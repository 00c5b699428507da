using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Webhooks.Sender.Security;

/// <summary>
/// Classifies an IP address into an <see cref="AddressCategory"/>. Pure, thread-safe and allocation-free:
/// addresses are compared as integers against fixed tables, most specific entry first.
/// </summary>
/// <remarks>
/// IPv6 forms that carry an IPv4 address are classified by the IPv4 address they reach:
/// IPv4-mapped <c>::ffff:0:0/96</c>, IPv4-translated <c>::ffff:0:0:0/96</c>, NAT64 <c>64:ff9b::/96</c>,
/// local-use NAT64 <c>64:ff9b:1::/48</c> (in its <c>/96</c> layout), 6to4 <c>2002::/16</c>, and the deprecated
/// IPv4-compatible <c>::/96</c> (a public address there is still <see cref="AddressCategory.Reserved"/>: nothing routes it).
/// Teredo (<c>2001::/32</c>) is <see cref="AddressCategory.Reserved"/> rather than decoded: the client address is obfuscated,
/// the relay path is outside our control and no webhook endpoint needs it.
/// </remarks>
internal static class IpAddressClassifier
{
    private static readonly V4Range[] V4Ranges =
    [
        // Exact addresses first: they sit inside broader ranges.
        new(0xA9FEA9FE, 32, AddressCategory.CloudMetadata),    // 169.254.169.254 AWS, GCP, Azure IMDS, OpenStack
        new(0xA9FEAA02, 32, AddressCategory.CloudMetadata),    // 169.254.170.2 AWS ECS task metadata
        new(0x646464C8, 32, AddressCategory.CloudMetadata),    // 100.100.100.200 Alibaba Cloud
        new(0xA83F8110, 32, AddressCategory.CloudMetadata),    // 168.63.129.16 Azure wireserver
        new(0xFFFFFFFF, 32, AddressCategory.Broadcast),        // 255.255.255.255
        new(0x00000000, 32, AddressCategory.Unspecified),      // 0.0.0.0
        new(0x00000000, 8, AddressCategory.Reserved),          // 0.0.0.0/8 "this network"
        new(0x0A000000, 8, AddressCategory.Private),           // 10.0.0.0/8
        new(0x64400000, 10, AddressCategory.SharedAddressSpace), // 100.64.0.0/10
        new(0x7F000000, 8, AddressCategory.Loopback),          // 127.0.0.0/8
        new(0xA9FE0000, 16, AddressCategory.LinkLocal),        // 169.254.0.0/16
        new(0xAC100000, 12, AddressCategory.Private),          // 172.16.0.0/12
        new(0xC0000000, 24, AddressCategory.Reserved),         // 192.0.0.0/24 IETF protocol assignments
        new(0xC0000200, 24, AddressCategory.Documentation),    // 192.0.2.0/24 TEST-NET-1
        new(0xC0586300, 24, AddressCategory.Reserved),         // 192.88.99.0/24 deprecated 6to4 relay anycast
        new(0xC0A80000, 16, AddressCategory.Private),          // 192.168.0.0/16
        new(0xC6120000, 15, AddressCategory.Benchmarking),     // 198.18.0.0/15
        new(0xC6336400, 24, AddressCategory.Documentation),    // 198.51.100.0/24 TEST-NET-2
        new(0xCB007100, 24, AddressCategory.Documentation),    // 203.0.113.0/24 TEST-NET-3
        new(0xE0000000, 4, AddressCategory.Multicast),         // 224.0.0.0/4
        new(0xF0000000, 4, AddressCategory.Reserved),          // 240.0.0.0/4
    ];

    private static readonly V6Range[] V6Ranges =
    [
        new(V6(0xFD00_0EC2_0000_0000, 0x0000_0000_0000_0254), 128, AddressCategory.CloudMetadata), // fd00:ec2::254 AWS IMDS IPv6
        new(V6(0, 0), 128, AddressCategory.Unspecified),                       // ::
        new(V6(0, 1), 128, AddressCategory.Loopback),                          // ::1
        new(V6(0x0100_0000_0000_0000, 0), 64, AddressCategory.Reserved),       // 100::/64 discard-only
        new(V6(0x2001_0002_0000_0000, 0), 48, AddressCategory.Benchmarking),   // 2001:2::/48
        new(V6(0x2001_0000_0000_0000, 0), 23, AddressCategory.Reserved),       // 2001::/23 IETF protocol assignments, Teredo 2001::/32
        new(V6(0x2001_0DB8_0000_0000, 0), 32, AddressCategory.Documentation),  // 2001:db8::/32
        new(V6(0x3FFF_0000_0000_0000, 0), 20, AddressCategory.Documentation),  // 3fff::/20
        new(V6(0x5F00_0000_0000_0000, 0), 16, AddressCategory.Reserved),       // 5f00::/16 SRv6 SIDs
        new(V6(0xFC00_0000_0000_0000, 0), 7, AddressCategory.UniqueLocal),     // fc00::/7
        new(V6(0xFE80_0000_0000_0000, 0), 10, AddressCategory.LinkLocal),      // fe80::/10
        new(V6(0xFEC0_0000_0000_0000, 0), 10, AddressCategory.SiteLocal),      // fec0::/10
        new(V6(0xFF00_0000_0000_0000, 0), 8, AddressCategory.Multicast),       // ff00::/8
    ];

    // IPv6 prefixes that carry an IPv4 address, and global unicast; masks precomputed like the tables'.
    private static readonly V6Range Mapped = new(V6(0, 0x0000_FFFF_0000_0000), 96, AddressCategory.Public);          // ::ffff:0:0/96
    private static readonly V6Range Translated = new(V6(0, 0xFFFF_0000_0000_0000), 96, AddressCategory.Public);      // ::ffff:0:0:0/96
    private static readonly V6Range Nat64 = new(V6(0x0064_FF9B_0000_0000, 0), 96, AddressCategory.Public);           // 64:ff9b::/96
    private static readonly V6Range Nat64LocalUse = new(V6(0x0064_FF9B_0001_0000, 0), 48, AddressCategory.Public);   // 64:ff9b:1::/48
    private static readonly V6Range Nat64LocalUse96 = new(V6(0x0064_FF9B_0001_0000, 0), 96, AddressCategory.Public); // its /96 layout
    private static readonly V6Range SixToFour = new(V6(0x2002_0000_0000_0000, 0), 16, AddressCategory.Public);      // 2002::/16
    private static readonly V6Range IPv4Compatible = new(UInt128.Zero, 96, AddressCategory.Public);                  // ::/96
    private static readonly V6Range GlobalUnicast = new(V6(0x2000_0000_0000_0000, 0), 3, AddressCategory.Public);   // 2000::/3

    /// <summary>Classifies <paramref name="address"/>.</summary>
    /// <param name="address">An IPv4 or IPv6 address; an IPv6 scope id is ignored.</param>
    /// <returns>The category; <see cref="AddressCategory.Public"/> only for globally routable unicast addresses.</returns>
    public static AddressCategory Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            return AddressCategory.Reserved;
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork when written == 4 => ClassifyV4(BinaryPrimitives.ReadUInt32BigEndian(bytes)),
            AddressFamily.InterNetworkV6 when written == 16 => ClassifyV6(BinaryPrimitives.ReadUInt128BigEndian(bytes)),
            _ => AddressCategory.Reserved,
        };
    }

    /// <summary>Classifies an IPv4 address given as a host-order integer (<c>a.b.c.d</c> = <c>0xaabbccdd</c>).</summary>
    /// <param name="address">The address.</param>
    /// <returns>The category.</returns>
    public static AddressCategory ClassifyV4(uint address)
    {
        foreach (var range in V4Ranges)
        {
            if (range.Contains(address))
            {
                return range.Category;
            }
        }

        return AddressCategory.Public;
    }

    /// <summary>Classifies an IPv6 address given as a host-order 128-bit integer.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The category.</returns>
    public static AddressCategory ClassifyV6(UInt128 address)
    {
        var low32 = (uint)address;
        if (Mapped.Contains(address) || Translated.Contains(address) || Nat64.Contains(address))
        {
            return ClassifyV4(low32);
        }

        if (Nat64LocalUse.Contains(address))
        {
            // RFC 8215 lets the operator pick the prefix length inside the /48; only the /96 layout is unambiguous.
            return Nat64LocalUse96.Contains(address) ? ClassifyV4(low32) : AddressCategory.Reserved;
        }

        if (SixToFour.Contains(address))
        {
            return ClassifyV4((uint)(address >> 80));
        }

        foreach (var range in V6Ranges)
        {
            if (range.Contains(address))
            {
                return range.Category;
            }
        }

        if (IPv4Compatible.Contains(address))
        {
            // Deprecated IPv4-compatible form (RFC 4291 2.5.5.1): report what it points at, but never Public.
            var embedded = ClassifyV4(low32);
            return embedded == AddressCategory.Public ? AddressCategory.Reserved : embedded;
        }

        return GlobalUnicast.Contains(address) ? AddressCategory.Public : AddressCategory.Reserved;
    }

    private static UInt128 V6Mask(int prefixLength) =>
        prefixLength == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefixLength);

    private static UInt128 V6(ulong upper, ulong lower) => new(upper, lower);

    private readonly struct V4Range(uint network, int prefixLength, AddressCategory category)
    {
        private readonly uint _mask = prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);

        public AddressCategory Category { get; } = category;

        public bool Contains(uint address) => (address & _mask) == network;
    }

    private readonly struct V6Range(UInt128 network, int prefixLength, AddressCategory category)
    {
        private readonly UInt128 _mask = V6Mask(prefixLength);

        public AddressCategory Category { get; } = category;

        public bool Contains(UInt128 address) => (address & _mask) == network;
    }
}
