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

    /// <summary>Gets a task that completes once the loop has stopped and no attempt runs.</summary>
    public Task Idle => _idle.Task;

    /// <summary>Counts an attempt that starts; only the claim loop calls it, before <see cref="LoopStopped"/>.</summary>
    public void Enter() => Interlocked.Increment(ref _count);

    /// <summary>Counts an attempt that ended.</summary>
    public void Exit() => Release();

    /// <summary>Drops the loop's own count: from now on no attempt starts.</summary>
    public void LoopStopped() => Release();

    private void Release()
    {
        if (Interlocked.Decrement(ref _count) == 0)
        {
            _idle.TrySetResult();
        }
    }
}
