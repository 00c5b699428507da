namespace Webhooks.Sender.Storage;

/// <summary>
/// Group commit: items that arrive while a store write is under way are written together by the next write, in
/// batches of at most <c>maxBatchSize</c>; nothing waits for a timer or for a batch to fill. Shared by the outcomes of
/// attempts (<see cref="Delivery.WebhookCompletionBatcher"/>) and by publishing (<see cref="Publishing.WebhookEnqueueBatcher"/>).
/// </summary>
/// <remarks>
/// <para>
/// A failed batch write is retried item by item, so only the items that fail on their own see the failure. An item is
/// taken for a write under the lock; until then its caller's cancellation removes it (the caller gets an
/// <see cref="OperationCanceledException"/>), after that the write goes on and the caller gets its result.
/// </para>
/// <para>
/// The flush loop runs on the thread pool without the execution context of the caller that started it, so one caller's
/// ambient state (an <see cref="AsyncLocal{T}"/>) never reaches a write that carries other callers' items.
/// </para>
/// </remarks>
/// <typeparam name="TItem">What is written.</typeparam>
/// <typeparam name="TResult">The store's answer for one item.</typeparam>
internal abstract class GroupCommit<TItem, TResult>
{
    private readonly object _gate = new();
    private readonly int _maxBatchSize;
    private readonly bool _writeLoneCallerInline;
    private readonly List<Entry> _queue = [];
    private bool _flushing;
    private int _unstored;
    private int _flushes;

    /// <summary>Initializes a new instance of the <see cref="GroupCommit{TItem, TResult}"/> class.</summary>
    /// <param name="maxBatchSize">The most items one batch write carries.</param>
    /// <param name="writeLoneCallerInline">
    /// Whether a caller that finds no write under way writes its own item at once, on its own flow (no thread hop), with
    /// its own cancellation token; otherwise every item goes through the flush loop.
    /// </param>
    protected GroupCommit(int maxBatchSize, bool writeLoneCallerInline)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _maxBatchSize = maxBatchSize;
        _writeLoneCallerInline = writeLoneCallerInline;
    }

    /// <summary>Gets how many items are queued or being written.</summary>
    public int Unstored => Volatile.Read(ref _unstored);

    /// <summary>Gets how many store writes were made (batches and single items; for tests).</summary>
    public int Flushes => Volatile.Read(ref _flushes);

    /// <summary>Queues <paramref name="item"/> (or writes it at once when nothing is being written) and returns the store's answer.</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Removes the item while it waits to be taken for a write.</param>
    /// <returns>The store's result for this item.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the item was taken.</exception>
    /// <exception cref="Exception">The store failed for this item (on its own, after a failed batch).</exception>
    protected Task<TResult> SubmitAsync(TItem item, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        Interlocked.Increment(ref _unstored);
        var entry = new Entry(item, this);
        if (cancellationToken.CanBeCanceled)
        {
            // Before the item is queued, so that the flush loop, which disposes it, never misses it.
            entry.Registration = cancellationToken.UnsafeRegister(static (state, token) => ((Entry)state!).Owner.Cancel((Entry)state, token), entry);
        }

        bool start;
        lock (_gate)
        {
            start = !_flushing;
            _flushing = true;
            if (!(start && _writeLoneCallerInline))
            {
                _queue.Add(entry);
            }
        }

        if (start && _writeLoneCallerInline)
        {
            entry.Registration.Dispose();
            return WriteLoneAsync(item, cancellationToken);
        }

        if (start)
        {
            StartFlushLoop();
        }

        return entry.Result.Task;
    }

    /// <summary>Writes several items in one store call; returns one result per item, in order.</summary>
    /// <param name="items">The items (at least one, at most the batch size).</param>
    /// <returns>The results.</returns>
    protected abstract Task<IReadOnlyList<TResult>> WriteManyAsync(IReadOnlyList<TItem> items);

    /// <summary>Writes one item on its own.</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">The lone caller's token, or none for an item retried after a failed batch.</param>
    /// <returns>The result.</returns>
    protected abstract Task<TResult> WriteOneAsync(TItem item, CancellationToken cancellationToken);

    /// <summary>Called with each item's result before its caller hears of it. Must not throw.</summary>
    /// <param name="item">The item.</param>
    /// <param name="result">The store's result.</param>
    protected virtual void Written(TItem item, TResult result)
    {
    }

    /// <summary>Called after each batch the flush loop wrote (whatever its outcome). Must not throw.</summary>
    protected virtual void Flushed()
    {
    }

    private async Task<TResult> WriteLoneAsync(TItem item, CancellationToken cancellationToken)
    {
        try
        {
            Interlocked.Increment(ref _flushes);
            var result = await WriteOneAsync(item, cancellationToken).ConfigureAwait(false);
            Written(item, result);
            return result;
        }
        finally
        {
            Interlocked.Decrement(ref _unstored);
            bool more;
            lock (_gate)
            {
                more = _queue.Count > 0;
                _flushing = more;
            }

            // Those who arrived during this write are written by the loop, off this caller's flow.
            if (more)
            {
                StartFlushLoop();
            }
        }
    }

    private void StartFlushLoop()
    {
        if (ExecutionContext.IsFlowSuppressed())
        {
            _ = Task.Run(FlushLoopAsync);
            return;
        }

        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(FlushLoopAsync);
        }
    }

    private void Cancel(Entry entry, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (entry.Taken || !_queue.Remove(entry))
            {
                return;
            }
        }

        Interlocked.Decrement(ref _unstored);
        entry.Result.TrySetCanceled(cancellationToken);
    }

    /// <summary>
    /// Writes what is queued until the queue is empty. It owns <c>_flushing</c> from start to end, whatever is thrown:
    /// every item taken from the queue gets an answer (its result or the failure), the count of unstored ones goes
    /// down, and the flag is cleared only with the queue seen empty under the lock.
    /// </summary>
    private async Task FlushLoopAsync()
    {
        while (true)
        {
            Entry[] batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                batch = new Entry[Math.Min(_maxBatchSize, _queue.Count)];
                _queue.CopyTo(0, batch, 0, batch.Length);
                _queue.RemoveRange(0, batch.Length);
                foreach (var entry in batch)
                {
                    entry.Taken = true;
                }
            }

            try
            {
                foreach (var entry in batch)
                {
                    // Outside the lock: disposing waits for a cancellation callback under way, which takes the lock.
                    entry.Registration.Dispose();
                }

                await FlushAsync(batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Not the store (its failures are handled per item): answer what is left, and go on.
                foreach (var entry in batch)
                {
                    entry.Result.TrySetException(ex);
                }
            }
            finally
            {
                Interlocked.Add(ref _unstored, -batch.Length);
            }

            Flushed();
        }
    }

    private async Task FlushAsync(Entry[] batch)
    {
        Interlocked.Increment(ref _flushes);
        var items = new TItem[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            items[i] = batch[i].Item;
        }

        IReadOnlyList<TResult> results;
        try
        {
            results = await WriteManyAsync(items).ConfigureAwait(false);
            if (results.Count != items.Length)
            {
                throw new InvalidOperationException($"The store returned {results.Count} results for {items.Length} items.");
            }
        }
        catch (Exception) when (batch.Length > 1)
        {
            // One bad item must not fail the others: write each on its own, each with its own outcome.
            foreach (var entry in batch)
            {
                await AnswerAsync(entry).ConfigureAwait(false);
            }

            return;
        }
        catch (Exception ex)
        {
            batch[0].Result.TrySetException(ex);
            return;
        }

        for (var i = 0; i < batch.Length; i++)
        {
            Written(batch[i].Item, results[i]);
            batch[i].Result.TrySetResult(results[i]);
        }
    }

    private async Task AnswerAsync(Entry entry)
    {
        try
        {
            var result = await WriteOneAsync(entry.Item, CancellationToken.None).ConfigureAwait(false);
            Written(entry.Item, result);
            entry.Result.TrySetResult(result);
        }
        catch (Exception ex)
        {
            entry.Result.TrySetException(ex);
        }
    }

    private sealed class Entry(TItem item, GroupCommit<TItem, TResult> owner)
    {
        public TItem Item { get; } = item;

        public GroupCommit<TItem, TResult> Owner { get; } = owner;

        // Continuations run on the pool, never inside the flush loop.
        public TaskCompletionSource<TResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }

        /// <summary>Gets or sets whether a write has taken the item (under the lock); cancellation no longer removes it.</summary>
        public bool Taken { get; set; }
    }
}
