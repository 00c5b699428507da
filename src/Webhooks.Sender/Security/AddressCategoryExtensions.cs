namespace Webhooks.Sender.Security;

/// <summary>Wording for <see cref="AddressCategory"/> in errors and logs.</summary>
internal static class AddressCategoryExtensions
{
    /// <summary>Returns the category as a noun phrase: "a loopback address".</summary>
    public static string Describe(this AddressCategory category) => category switch
    {
        AddressCategory.Public => "a public address",
        AddressCategory.Loopback => "a loopback address",
        AddressCategory.Private => "a private (RFC 1918) address",
        AddressCategory.LinkLocal => "a link-local address",
        AddressCategory.SharedAddressSpace => "a carrier-grade NAT (100.64.0.0/10) address",
        AddressCategory.UniqueLocal => "a unique local IPv6 address",
        AddressCategory.SiteLocal => "a site-local IPv6 address",
        AddressCategory.Multicast => "a multicast address",
        AddressCategory.Unspecified => "the unspecified address",
        AddressCategory.Broadcast => "the broadcast address",
        AddressCategory.Documentation => "a documentation address",
        AddressCategory.Benchmarking => "a benchmarking address",
        AddressCategory.CloudMetadata => "a cloud metadata address",
        _ => "a reserved address",
    };
}
