using System.Collections.Concurrent;

namespace Webhooks.Receiver.Internal;

/// <summary>Wakes a receiver's inbox processor in this process when a webhook is stored or replayed.</summary>
internal sealed class WebhookInboxSignals
{
    private readonly ConcurrentDictionary<string, Signal> _signals = new(StringComparer.Ordinal);

    public Signal Get(string receiverName) => _signals.GetOrAdd(receiverName, static _ => new Signal());

    public void SetAll()
    {
        foreach (var signal in _signals.Values)
        {
            signal.Set();
        }
    }

    /// <summary>A reusable wake-up: take <see cref="Next"/> before looking for work, so a set in between is not missed.</summary>
    internal sealed class Signal
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Next => Volatile.Read(ref _next).Task;

        public void Set() => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
