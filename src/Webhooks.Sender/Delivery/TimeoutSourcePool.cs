using System.Collections.Concurrent;

namespace Webhooks.Sender.Delivery;

/// <summary>
/// Reuses the cancellation sources that time attempts out: a source whose attempt ended before its timeout is reset and
/// kept, so a busy sender does not allocate a source and a timer per attempt.
/// </summary>
internal sealed class TimeoutSourcePool(TimeProvider time)
{
    private const int MaxPooled = 256;

    private readonly ConcurrentQueue<CancellationTokenSource> _pool = new();
    private int _count;

    /// <summary>Gets a source that cancels after <paramref name="timeout"/> on the pool's clock.</summary>
    public CancellationTokenSource Rent(TimeSpan timeout)
    {
        if (_pool.TryDequeue(out var source))
        {
            Interlocked.Decrement(ref _count);
        }
        else
        {
            source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        }

        source.CancelAfter(timeout);
        return source;
    }

    /// <summary>Gives a source back once nothing uses its token; a cancelled one is disposed instead.</summary>
    public void Return(CancellationTokenSource source)
    {
        // TryReset stops the timer and fails when the source was (or is being) cancelled.
        if (source.TryReset())
        {
            if (Interlocked.Increment(ref _count) <= MaxPooled)
            {
                _pool.Enqueue(source);
                return;
            }

            Interlocked.Decrement(ref _count);
        }

        source.Dispose();
    }
}
