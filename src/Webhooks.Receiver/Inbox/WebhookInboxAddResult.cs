namespace Webhooks.Receiver.Inbox;

/// <summary>The answer of <see cref="IWebhookInboxStore.AddAsync"/>.</summary>
public enum WebhookInboxAddResult
{
    /// <summary>The entry is stored durably as a new pending item.</summary>
    Added = 0,

    /// <summary>An item with the same receiver and message id exists: nothing was stored.</summary>
    Duplicate = 1,
}
