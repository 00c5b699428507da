namespace Webhooks.Sender;

/// <summary>Filters for listing messages.</summary>
public sealed record WebhookMessageQuery : WebhookQuery
{
    /// <summary>Gets an exact event type to restrict to.</summary>
    public string? EventType { get; init; }

    /// <summary>Gets the earliest creation time (inclusive).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets the latest creation time (exclusive).</summary>
    public DateTimeOffset? Until { get; init; }
}
