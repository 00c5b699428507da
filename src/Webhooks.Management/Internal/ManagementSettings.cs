namespace Webhooks.Management.Internal;

/// <summary>One mapping's validated settings.</summary>
internal sealed class ManagementSettings
{
    /// <summary>Gets the group's path, without a trailing slash ("" for the root).</summary>
    public required string Prefix { get; init; }

    public required Func<WebhookManagementScopeArguments, ValueTask<WebhookManagementScope>>? ResolveScope { get; init; }

    public required int MaxRequestBodySize { get; init; }

    public required int DefaultPageSize { get; init; }

    public required string NamePrefix { get; init; }
}
