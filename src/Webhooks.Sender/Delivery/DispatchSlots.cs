namespace Webhooks.Sender.Delivery;

/// <summary>
/// The dispatcher's slots, global and per endpoint: the one place that says how many attempts may start and for which
/// subscriptions. A slot is taken when an attempt starts and given back when its HTTP exchange ends. Thread-safe.
/// </summary>
internal sealed class DispatchSlots(int total, int perEndpoint)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _busy = new(StringComparer.Ordinal);
    private int _active;

    /// <summary>Gets the most attempts to one endpoint at a time.</summary>
    public int PerEndpoint => perEndpoint;

    /// <summary>Gets the number of slots taken.</summary>
    public int Active
    {
        get
        {
            lock (_gate)
            {
                return _active;
            }
        }
    }

    /// <summary>Gets the number of free slots.</summary>
    public int Free => total - Active;

    /// <summary>
    /// Describes the endpoints a claim must respect: those at their limit go to <paramref name="full"/>, the other busy
    /// ones to <paramref name="capacity"/> with the slots they have left.
    /// </summary>
    /// <returns>The number of free slots.</returns>
    public int Collect(ICollection<string> full, IDictionary<string, int> capacity)
    {
        lock (_gate)
        {
            foreach (var (subscriptionId, count) in _busy)
            {
                if (count >= perEndpoint)
                {
                    full.Add(subscriptionId);
                }
                else
                {
                    capacity[subscriptionId] = perEndpoint - count;
                }
            }

            return total - _active;
        }
    }

    /// <summary>Takes a slot for an attempt to <paramref name="subscriptionId"/>, if one is free.</summary>
    /// <param name="subscriptionId">The subscription.</param>
    /// <param name="endpointFull">Set when the endpoint has no slot left after this one (or had none).</param>
    /// <returns><see langword="true"/> when taken.</returns>
    public bool TryTake(string subscriptionId, out bool endpointFull)
    {
        lock (_gate)
        {
            _busy.TryGetValue(subscriptionId, out var count);
            if (_active >= total || count >= perEndpoint)
            {
                endpointFull = count >= perEndpoint;
                return false;
            }

            _busy[subscriptionId] = count + 1;
            _active++;
            endpointFull = count + 1 >= perEndpoint;
            return true;
        }
    }

    /// <summary>Gives a slot back.</summary>
    /// <returns>The number of free slots now.</returns>
    public int Return(string subscriptionId)
    {
        lock (_gate)
        {
            _active--;
            if (_busy.TryGetValue(subscriptionId, out var count) && count > 1)
            {
                _busy[subscriptionId] = count - 1;
            }
            else
            {
                _busy.Remove(subscriptionId);
            }

            return total - _active;
        }
    }
}
