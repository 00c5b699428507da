using Microsoft.Extensions.Logging;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Delivery;

/// <summary>
/// Group commit for attempt outcomes: the first completion is written at once, and the ones that finish while it is
/// being written go to the store together in the next <see cref="IWebhookStore.CompleteManyAsync"/>. No completion
/// waits for a timer or for a batch to fill, so an idle sender writes each outcome as soon as it has it, and a busy one
/// pays one store round trip (one transaction) for many.
/// </summary>
internal sealed class WebhookCompletionBatcher(IWebhookStore store, int maxBatchSize, ILogger logger, Action flushed)
{
    private readonly object _gate = new();
    private List<Pending> _queue = [];
    private bool _flushing;
    private int _pending;

    /// <summary>Gets how many completions are queued or being written.</summary>
    public int Unstored => Volatile.Read(ref _pending);

    /// <summary>Gets how many store calls were made (for tests).</summary>
    public int Flushes { get; private set; }

    /// <summary>
    /// Queues <paramref name="completion"/> and returns when the store has written it. A completion the store turned down
    /// (lease lost, delivery gone) is logged here.
    /// </summary>
    /// <param name="completion">The outcome.</param>
    /// <returns>The store's result for this completion.</returns>
    /// <exception cref="Exception">The store failed for this completion; its lease runs out and it is claimed again.</exception>
    public Task<WebhookCompletionResult> CompleteAsync(WebhookDeliveryCompletion completion)
    {
        var pending = new Pending(completion);
        Interlocked.Increment(ref _pending);
        bool start;
        lock (_gate)
        {
            _queue.Add(pending);
            start = !_flushing;
            _flushing = true;
        }

        if (start)
        {
            // Off the caller's continuation: the flush loop may run for several batches.
            _ = Task.Run(FlushLoopAsync);
        }

        return pending.Result.Task;
    }

    private async Task FlushLoopAsync()
    {
        var spare = new List<Pending>();
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                batch = _queue;
                _queue = spare;
            }

            for (var offset = 0; offset < batch.Count; offset += maxBatchSize)
            {
                await FlushAsync(batch, offset, Math.Min(maxBatchSize, batch.Count - offset)).ConfigureAwait(false);
            }

            Interlocked.Add(ref _pending, -batch.Count);
            batch.Clear();
            spare = batch;
            flushed();
        }
    }

    private async Task FlushAsync(List<Pending> batch, int offset, int count)
    {
        Flushes++;
        var completions = new WebhookDeliveryCompletion[count];
        for (var i = 0; i < count; i++)
        {
            completions[i] = batch[offset + i].Completion;
        }

        IReadOnlyList<WebhookCompletionResult> results;
        try
        {
            results = await store.CompleteManyAsync(completions, CancellationToken.None).ConfigureAwait(false);
            if (results.Count != count)
            {
                throw new InvalidOperationException($"The store returned {results.Count} results for {count} completions.");
            }
        }
        catch (Exception) when (count > 1)
        {
            // One bad completion must not fail the others: write each on its own, each with its own outcome.
            for (var i = 0; i < count; i++)
            {
                var pending = batch[offset + i];
                try
                {
                    Set(pending, await store.CompleteAsync(pending.Completion, CancellationToken.None).ConfigureAwait(false));
                }
                catch (Exception ex)
                {
                    pending.Result.TrySetException(ex);
                }
            }

            return;
        }
        catch (Exception ex)
        {
            batch[offset].Result.TrySetException(ex);
            return;
        }

        for (var i = 0; i < count; i++)
        {
            Set(batch[offset + i], results[i]);
        }
    }

    private void Set(Pending pending, WebhookCompletionResult result)
    {
        if (result is WebhookCompletionResult.LeaseLost or WebhookCompletionResult.NotFound)
        {
            Log.CompletionRejected(logger, pending.Completion.DeliveryId, result);
        }

        pending.Result.TrySetResult(result);
    }

    private sealed class Pending(WebhookDeliveryCompletion completion)
    {
        public WebhookDeliveryCompletion Completion { get; } = completion;

        // Continuations run on the pool, never inside the flush loop.
        public TaskCompletionSource<WebhookCompletionResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
