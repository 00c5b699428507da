using Webhooks.Receiver.Inbox;

namespace Webhooks.Receiver.Internal;

/// <summary>The app's view of the inbox store: checked arguments, the clock, and a wake-up after a replay.</summary>
internal sealed class WebhookInbox(IWebhookInboxStore store, WebhookInboxSignals signals, TimeProvider time) : IWebhookInbox
{
    public ValueTask<WebhookInboxPage> ListAsync(WebhookInboxQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > WebhookInboxQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"The page size (Limit) is {query.Limit}; it must be from 1 to {WebhookInboxQuery.MaxLimit}.");
        }

        return store.ListAsync(query, cancellationToken);
    }

    public ValueTask<WebhookInboxItem?> GetAsync(long id, CancellationToken cancellationToken = default) => store.GetAsync(id, cancellationToken);

    public async ValueTask<bool> ReplayAsync(long id, CancellationToken cancellationToken = default)
    {
        var replayed = await store.ReplayAsync(id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (replayed)
        {
            signals.SetAll();
        }

        return replayed;
    }

    public async ValueTask<long> ReplayDeadAsync(DateTimeOffset since, string? receiverName = null, CancellationToken cancellationToken = default)
    {
        var replayed = await store.ReplayDeadAsync(since, receiverName, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (replayed > 0)
        {
            signals.SetAll();
        }

        return replayed;
    }

    public async ValueTask<long> PurgeAsync(WebhookInboxState state, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        if (state is not (WebhookInboxState.Processed or WebhookInboxState.Dead))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "Only processed or dead items can be purged; pending and processing items are still to be handled.");
        }

        long total = 0;
        int purged;
        do
        {
            purged = await store.PurgeAsync(state, before, receiverName: null, WebhookInboxProcessor.PurgeBatchSize, cancellationToken).ConfigureAwait(false);
            total += purged;
        }
        while (purged == WebhookInboxProcessor.PurgeBatchSize);
        return total;
    }

    public ValueTask<WebhookInboxStatistics> GetStatisticsAsync(string? receiverName = null, CancellationToken cancellationToken = default) =>
        store.GetStatisticsAsync(receiverName, cancellationToken);
}
