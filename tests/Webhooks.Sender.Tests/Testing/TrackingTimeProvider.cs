using Microsoft.Extensions.Time.Testing;

namespace Webhooks.Sender.Tests.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows which timers are armed, so a test can wait until the code under test is
/// really waiting on the fake clock before advancing it (advancing earlier would push the wake-up one interval later).
/// </summary>
public sealed class TrackingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly object _gate = new();
    private readonly List<TrackedTimer> _armed = [];
    private readonly List<(Func<TimeSpan, bool> Match, TaskCompletionSource Done)> _waiters = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);

        // A one-shot timer that fired waits for nothing any more, whether or not its owner disposed it yet.
        tracked.Inner = base.CreateTimer(
            s =>
            {
                if (tracked.Period == Timeout.InfiniteTimeSpan)
                {
                    Disarmed(tracked);
                }

                callback(s);
            },
            state,
            dueTime,
            period);
        tracked.Period = period;
        tracked.Arm(dueTime);
        return tracked;
    }

    /// <summary>Completes when a timer whose due time matches is armed (now or later) and not yet disposed.</summary>
    public Task WaitForTimerAsync(Func<TimeSpan, bool> match, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_armed.Exists(t => match(t.DueTime)))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((match, done));
        }

        return done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>Completes when a timer of exactly <paramref name="dueTime"/> is armed.</summary>
    public Task WaitForTimerAsync(TimeSpan dueTime) => WaitForTimerAsync(d => d == dueTime);

    private void Armed(TrackedTimer timer)
    {
        lock (_gate)
        {
            _armed.Remove(timer);
            if (timer.DueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            _armed.Add(timer);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(timer.DueTime))
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private void Disarmed(TrackedTimer timer)
    {
        lock (_gate)
        {
            _armed.Remove(timer);
        }
    }

    private sealed class TrackedTimer(TrackingTimeProvider owner) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public TimeSpan DueTime { get; private set; }

        public TimeSpan Period { get; set; }

        public void Arm(TimeSpan dueTime)
        {
            DueTime = dueTime;
            owner.Armed(this);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Period = period;
            var changed = Inner.Change(dueTime, period);
            Arm(dueTime);
            return changed;
        }

        public void Dispose()
        {
            owner.Disarmed(this);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            owner.Disarmed(this);
            return Inner.DisposeAsync();
        }
    }
}
