using Webhooks.Sender.Storage;

namespace Webhooks.Sender.Publishing;

/// <summary>
/// Group commit for publishing, used when the store implements <see cref="IWebhookStoreGroupEnqueue"/>: a publish that
/// finds no write under way is written at once, on the caller's own flow and with its cancellation token; those that
/// arrive meanwhile go to the store together in the next <see cref="IWebhookStore.EnqueueManyAsync"/> (one
/// transaction), at most <c>maxBatchSize</c> messages at a time.
/// </summary>
internal sealed class WebhookEnqueueBatcher(IWebhookStore store, int maxBatchSize)
    : GroupCommit<WebhookEnqueueItem, WebhookEnqueueResult>(maxBatchSize, writeLoneCallerInline: true)
{
    /// <summary>The most messages one group write carries.</summary>
    public const int DefaultMaxBatchSize = 256;

    /// <summary>Stores <paramref name="item"/>, alone or with other callers' messages.</summary>
    /// <param name="item">The message and its deliveries.</param>
    /// <param name="cancellationToken">Cancels the publish while it waits for a write; once its write has begun, it is stored.</param>
    /// <returns>The store's result.</returns>
    public Task<WebhookEnqueueResult> EnqueueAsync(WebhookEnqueueItem item, CancellationToken cancellationToken) =>
        SubmitAsync(item, cancellationToken);

    /// <inheritdoc />
    protected override Task<IReadOnlyList<WebhookEnqueueResult>> WriteManyAsync(IReadOnlyList<WebhookEnqueueItem> items) =>
        store.EnqueueManyAsync(items, CancellationToken.None);

    /// <inheritdoc />
    protected override Task<WebhookEnqueueResult> WriteOneAsync(WebhookEnqueueItem item, CancellationToken cancellationToken) =>
        store.EnqueueAsync(item.Message, item.Deliveries, cancellationToken);
}
