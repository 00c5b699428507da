namespace Webhooks.Receiver;

/// <summary>One page of inbox items.</summary>
/// <param name="Items">The items, oldest first.</param>
/// <param name="NextAfter">The <see cref="WebhookInboxQuery.After"/> of the next page, or <see langword="null"/> on the last page.</param>
public sealed record WebhookInboxPage(IReadOnlyList<WebhookInboxItem> Items, long? NextAfter);
