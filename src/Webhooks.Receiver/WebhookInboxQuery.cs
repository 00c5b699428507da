namespace Webhooks.Receiver;

/// <summary>Selects inbox items for <see cref="IWebhookInbox.ListAsync"/>: oldest first, paged by id.</summary>
public sealed record WebhookInboxQuery
{
    /// <summary>The largest page: 500 items.</summary>
    public const int MaxLimit = 500;

    /// <summary>Gets the state to list, or <see langword="null"/> for every state.</summary>
    public WebhookInboxState? State { get; init; }

    /// <summary>Gets the receiver to list, or <see langword="null"/> for every receiver.</summary>
    public string? ReceiverName { get; init; }

    /// <summary>Gets the id after which the page starts (<see cref="WebhookInboxPage.NextAfter"/> of the previous page).</summary>
    public long? After { get; init; }

    /// <summary>Gets the page size, from 1 to <see cref="MaxLimit"/>.</summary>
    /// <value>The default is 50.</value>
    public int Limit { get; init; } = 50;
}
