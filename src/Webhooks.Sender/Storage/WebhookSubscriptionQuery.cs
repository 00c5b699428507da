namespace Webhooks.Sender;

/// <summary>Filters for listing subscriptions.</summary>
public sealed record WebhookSubscriptionQuery : WebhookQuery
{
    /// <summary>Gets an event type: only subscriptions that would receive it.</summary>
    public string? EventType { get; init; }

    /// <summary>Gets <see langword="true"/> for enabled only, <see langword="false"/> for disabled only, <see langword="null"/> for both.</summary>
    public bool? Enabled { get; init; }
}
