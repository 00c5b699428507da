namespace Webhooks.Sender.Delivery;

/// <summary>Wakes the dispatcher: publishing, redelivering and finished attempts call <see cref="Notify"/>.</summary>
internal sealed class WebhookDispatchSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        // Already signalled: one wake-up covers any number of notifications. Checked first because every finished
        // attempt notifies, and a SemaphoreFullException per delivery was a measurable cost under load. A signal seen
        // here is still pending, and the wake-up it causes reads the state this caller changed before notifying.
        if (_semaphore.CurrentCount > 0)
        {
            return;
        }

        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers any number of notifications.
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
    }

    /// <summary>Waits for a notification or until <paramref name="timeout"/> passes on <paramref name="time"/>.</summary>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="time">The clock the timeout runs on.</param>
    /// <param name="cancellationToken">Ends the wait early.</param>
    /// <param name="armed">Called once the timeout runs on the clock, just before waiting (tests move a fake clock then).</param>
    /// <returns><see langword="true"/> when notified.</returns>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken, Action? armed = null)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return _semaphore.Wait(0, CancellationToken.None);
        }

        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        armed?.Invoke();
        try
        {
            await _semaphore.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose() => _semaphore.Dispose();
}
