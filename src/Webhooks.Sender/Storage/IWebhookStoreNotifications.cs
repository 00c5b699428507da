namespace Webhooks.Sender.Storage;

/// <summary>
/// Implemented by a store that learns of new due work from outside this process (for example PostgreSQL
/// <c>LISTEN/NOTIFY</c>), so that an idle dispatcher wakes at once instead of at its next poll.
/// </summary>
public interface IWebhookStoreNotifications
{
    /// <summary>Raised when deliveries may have become due (another instance published or released work).</summary>
    event EventHandler? DeliveriesDue;
}
