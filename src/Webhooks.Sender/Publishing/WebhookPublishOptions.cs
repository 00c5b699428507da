namespace Webhooks.Sender;

/// <summary>Per-publish options: the tenant and an idempotency key.</summary>
public sealed class WebhookPublishOptions
{
    /// <summary>Gets the tenant to publish for: only that tenant's subscriptions receive the message.</summary>
    /// <value>The default is <see langword="null"/>: only subscriptions without a tenant receive it.</value>
    public string? TenantId { get; init; }

    /// <summary>
    /// Gets a key that makes publishing idempotent: publishing again with the same key (for the same tenant) sends
    /// nothing more and returns the first message's id. Use a stable business key such as <c>order-42-created</c>.
    /// </summary>
    /// <value>The default is <see langword="null"/>: every publish is a new message.</value>
    public string? IdempotencyKey { get; init; }
}
