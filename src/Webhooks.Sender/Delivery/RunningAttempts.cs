namespace Webhooks.Sender.Delivery;

/// <summary>
/// Counts the attempts that run, so that shutdown can wait for them. The claim loop holds one count of its own until it
/// stops: the count reaches zero exactly once, when the loop has stopped and the last attempt has ended, whichever
/// comes last. One interlocked counter and no flag, so a finishing attempt and a stopping loop cannot miss each other.
/// </summary>
internal sealed class RunningAttempts
{
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count = 1;
    private TaskCompletionSource? _noAttempts;

    /// <summary>Gets a task that completes once the loop has stopped and no attempt runs.</summary>
    public Task Idle => _idle.Task;

    /// <summary>Counts an attempt that starts; only the claim loop calls it, before <see cref="LoopStopped"/>.</summary>
    public void Enter() => Interlocked.Increment(ref _count);

    /// <summary>Counts an attempt that ended.</summary>
    public void Exit() => Release();

    /// <summary>Drops the loop's own count: from now on no attempt starts.</summary>
    public void LoopStopped() => Release();

    /// <summary>Completes when no attempt runs (at once if none does): tests move a fake clock only then.</summary>
    public Task NoAttemptsAsync()
    {
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = Interlocked.CompareExchange(ref _noAttempts, created, null) ?? created;
        if (Volatile.Read(ref _count) <= 1)
        {
            Interlocked.CompareExchange(ref _noAttempts, null, watcher);
            watcher.TrySetResult();
        }

        return watcher.Task;
    }

    private void Release()
    {
        var left = Interlocked.Decrement(ref _count);
        if (left == 0)
        {
            _idle.TrySetResult();
        }

        if (left <= 1 && Volatile.Read(ref _noAttempts) is not null)
        {
            Interlocked.Exchange(ref _noAttempts, null)?.TrySetResult();
        }
    }
}
