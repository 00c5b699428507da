using Microsoft.Extensions.Logging;
using Webhooks.Sender.Storage;

namespace Webhooks.Sender.Delivery;

/// <summary>
/// Group commit for attempt outcomes: the first completion is written at once, and the ones that finish while it is
/// being written go to the store together in the next <see cref="IWebhookStore.CompleteManyAsync"/>. No completion
/// waits for a timer or for a batch to fill, so an idle sender writes each outcome as soon as it has it, and a busy one
/// pays one store round trip (one transaction) for many.
/// </summary>
internal sealed class WebhookCompletionBatcher(IWebhookStore store, int maxBatchSize, ILogger logger, Action flushed)
    : GroupCommit<WebhookDeliveryCompletion, WebhookCompletionResult>(maxBatchSize, writeLoneCallerInline: false)
{
    // A throwing logging provider must not leave a completion without its answer or the loop without its flag.
    private readonly ILogger _logger = logger as GuardedLogger ?? new GuardedLogger(logger);

    /// <summary>
    /// Queues <paramref name="completion"/> and returns when the store has written it. A completion the store turned down
    /// (lease lost, delivery gone) is logged here.
    /// </summary>
    /// <param name="completion">The outcome.</param>
    /// <returns>The store's result for this completion.</returns>
    /// <exception cref="Exception">The store failed for this completion; its lease runs out and it is claimed again.</exception>
    public Task<WebhookCompletionResult> CompleteAsync(WebhookDeliveryCompletion completion) => SubmitAsync(completion, CancellationToken.None);

    /// <inheritdoc />
    protected override Task<IReadOnlyList<WebhookCompletionResult>> WriteManyAsync(IReadOnlyList<WebhookDeliveryCompletion> items) =>
        store.CompleteManyAsync(items, CancellationToken.None);

    /// <inheritdoc />
    protected override Task<WebhookCompletionResult> WriteOneAsync(WebhookDeliveryCompletion item, CancellationToken cancellationToken) =>
        store.CompleteAsync(item, cancellationToken);

    /// <inheritdoc />
    protected override void Written(WebhookDeliveryCompletion item, WebhookCompletionResult result)
    {
        // Logged before the caller hears of it (the guarded logger never throws, so the result is always set).
        if (result is WebhookCompletionResult.LeaseLost or WebhookCompletionResult.NotFound)
        {
            Log.CompletionRejected(_logger, item.DeliveryId, result);
        }
    }

    /// <inheritdoc />
    protected override void Flushed()
    {
        try
        {
            flushed();
        }
        catch (Exception ex)
        {
            Log.CompletionCallbackFailed(_logger, ex);
        }
    }
}
