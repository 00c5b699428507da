namespace Webhooks.Sender.Health;

/// <summary>
/// The circuit breakers of every endpoint, keyed by subscription id. Closed: attempts run and failures in a row are
/// counted; at the threshold the circuit opens and no attempt is allowed for the break duration; then it is half-open
/// and allows exactly one probe; the probe's success closes it, its failure opens it again for twice as long (up to
/// the maximum). Thread-safe.
/// </summary>
/// <remarks>
/// Memory: an endpoint has an entry only while it has failures that no success has cleared, and at most
/// <c>capacity</c> entries are kept. When full, closed entries (failures below the threshold) are dropped first,
/// which only delays an opening; an endpoint that finds no room is not tracked until room frees.
/// The breaker is per process: in a scale-out deployment each sender instance breaks on what it sees.
/// </remarks>
internal sealed class EndpointCircuitBreaker
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Circuit> _circuits = new(StringComparer.Ordinal);
    private readonly int _threshold;
    private readonly TimeSpan _breakDuration;
    private readonly TimeSpan _maxBreakDuration;
    private readonly TimeSpan _probeTimeout;
    private readonly int _capacity;

    /// <param name="threshold">Failed attempts in a row that open a circuit; 0 turns the breaker off.</param>
    /// <param name="breakDuration">The first pause.</param>
    /// <param name="maxBreakDuration">The longest pause; failed probes double the pause up to it.</param>
    /// <param name="probeTimeout">How long a probe may stay unreported before another one is allowed (a probe whose
    /// outcome never came, for example because its process was stopping).</param>
    /// <param name="capacity">The most endpoints tracked.</param>
    public EndpointCircuitBreaker(int threshold, TimeSpan breakDuration, TimeSpan maxBreakDuration, TimeSpan probeTimeout, int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _threshold = threshold;
        _breakDuration = breakDuration;
        _maxBreakDuration = maxBreakDuration < breakDuration ? breakDuration : maxBreakDuration;
        _probeTimeout = probeTimeout;
        _capacity = capacity;
    }

    /// <summary>Gets a value indicating whether the breaker does anything.</summary>
    public bool IsEnabled => _threshold > 0;

    /// <summary>Gets the number of endpoints tracked now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _circuits.Count;
            }
        }
    }

    /// <summary>
    /// Asks to make an attempt to <paramref name="endpoint"/> now. Closed: yes. Open: no, until the break ends. Half-open:
    /// yes for exactly one caller (the probe), whose outcome must be reported; no for the others.
    /// </summary>
    /// <param name="endpoint">The subscription id.</param>
    /// <param name="now">The current time.</param>
    /// <param name="retryAfter">When refused, how long until an attempt may be allowed; otherwise zero.</param>
    /// <returns><see langword="true"/> when the attempt may be made.</returns>
    public bool TryAcquire(string endpoint, DateTimeOffset now, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!IsEnabled)
        {
            return true;
        }

        lock (_gate)
        {
            if (!_circuits.TryGetValue(endpoint, out var circuit) || circuit.State == CircuitState.Closed)
            {
                return true;
            }

            var waitUntil = circuit.State == CircuitState.Open ? circuit.OpenUntil : circuit.ProbeStartedAt + _probeTimeout;
            if (now < waitUntil)
            {
                retryAfter = waitUntil - now;
                return false;
            }

            // The break is over (or the last probe was lost): this caller is the probe.
            circuit.State = CircuitState.HalfOpen;
            circuit.ProbeStartedAt = now;
            return true;
        }
    }

    /// <summary>Reports a successful attempt: the endpoint's circuit closes and its failures are forgotten.</summary>
    /// <param name="endpoint">The subscription id.</param>
    /// <returns><see cref="CircuitTransition.Closed"/> when a paused endpoint resumed.</returns>
    public CircuitTransition ReportSuccess(string endpoint)
    {
        if (!IsEnabled)
        {
            return CircuitTransition.None;
        }

        lock (_gate)
        {
            return _circuits.Remove(endpoint, out var circuit) && circuit.State != CircuitState.Closed
                ? CircuitTransition.Closed
                : CircuitTransition.None;
        }
    }

    /// <summary>Reports a failed attempt.</summary>
    /// <param name="endpoint">The subscription id.</param>
    /// <param name="now">The current time.</param>
    /// <param name="breakDuration">When the circuit opened, for how long; otherwise zero.</param>
    /// <returns><see cref="CircuitTransition.Opened"/> when this failure opened the circuit (the threshold was reached, or the probe failed).</returns>
    public CircuitTransition ReportFailure(string endpoint, DateTimeOffset now, out TimeSpan breakDuration)
    {
        breakDuration = TimeSpan.Zero;
        if (!IsEnabled)
        {
            return CircuitTransition.None;
        }

        lock (_gate)
        {
            if (!_circuits.TryGetValue(endpoint, out var circuit))
            {
                if (_circuits.Count >= _capacity && !MakeRoom())
                {
                    return CircuitTransition.None;
                }

                circuit = new Circuit();
                _circuits.Add(endpoint, circuit);
            }

            switch (circuit.State)
            {
                case CircuitState.Closed when ++circuit.Failures >= _threshold:
                    breakDuration = Open(circuit, now);
                    return CircuitTransition.Opened;
                case CircuitState.HalfOpen:
                    circuit.Breaks++;
                    breakDuration = Open(circuit, now);
                    return CircuitTransition.Opened;
                default:
                    // Below the threshold, or an attempt started before the circuit opened: the pause stands as it is.
                    return CircuitTransition.None;
            }
        }
    }

    /// <summary>
    /// Reports that an allowed attempt was not made or says nothing about the endpoint (for example it was handed back
    /// at shutdown, or the payload was refused): a half-open endpoint may probe again at once.
    /// </summary>
    /// <param name="endpoint">The subscription id.</param>
    public void ReportAbandoned(string endpoint)
    {
        lock (_gate)
        {
            if (_circuits.TryGetValue(endpoint, out var circuit) && circuit.State == CircuitState.HalfOpen)
            {
                circuit.ProbeStartedAt = DateTimeOffset.MinValue;
            }
        }
    }

    /// <summary>
    /// Adds to <paramref name="into"/> the endpoints that would refuse an attempt at <paramref name="now"/>, so the
    /// dispatcher does not claim their deliveries, and returns the earliest time one of them allows an attempt again.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="into">Receives the subscription ids.</param>
    /// <returns>The earliest time a paused endpoint may be tried again, or <see langword="null"/> when none is paused.</returns>
    public DateTimeOffset? CollectPaused(DateTimeOffset now, ICollection<string> into)
    {
        DateTimeOffset? earliest = null;
        lock (_gate)
        {
            foreach (var (endpoint, circuit) in _circuits)
            {
                if (circuit.State == CircuitState.Closed)
                {
                    continue;
                }

                var until = circuit.State == CircuitState.Open ? circuit.OpenUntil : circuit.ProbeStartedAt + _probeTimeout;
                if (until > now)
                {
                    into.Add(endpoint);
                    earliest = earliest is null || until < earliest ? until : earliest;
                }
            }
        }

        return earliest;
    }

    /// <summary>Gets when an endpoint whose circuit is open (or probing) lets an attempt through again.</summary>
    /// <param name="endpoint">The subscription id.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The time, or <see langword="null"/> when an attempt may go now.</returns>
    public DateTimeOffset? GetPausedUntil(string endpoint, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_circuits.TryGetValue(endpoint, out var circuit) || circuit.State == CircuitState.Closed)
            {
                return null;
            }

            var until = circuit.State == CircuitState.Open ? circuit.OpenUntil : circuit.ProbeStartedAt + _probeTimeout;
            return until > now ? until : null;
        }
    }

    /// <summary>Gets the state of an endpoint's circuit (for tests and diagnostics).</summary>
    /// <param name="endpoint">The subscription id.</param>
    /// <returns>The state; <see cref="CircuitState.Closed"/> when untracked.</returns>
    public CircuitState GetState(string endpoint)
    {
        lock (_gate)
        {
            return _circuits.TryGetValue(endpoint, out var circuit) ? circuit.State : CircuitState.Closed;
        }
    }

    private TimeSpan Open(Circuit circuit, DateTimeOffset now)
    {
        // Double per failed probe, capped; the shift is bounded so it cannot overflow.
        var factor = 1L << Math.Min(circuit.Breaks, 20);
        var ticks = _breakDuration.Ticks > _maxBreakDuration.Ticks / factor ? _maxBreakDuration.Ticks : _breakDuration.Ticks * factor;
        var duration = TimeSpan.FromTicks(Math.Min(ticks, _maxBreakDuration.Ticks));
        circuit.State = CircuitState.Open;
        circuit.OpenUntil = now + duration;
        return duration;
    }

    /// <summary>Drops closed entries (only failure counts below the threshold are lost). Caller holds the lock.</summary>
    private bool MakeRoom()
    {
        List<string>? closed = null;
        foreach (var (endpoint, circuit) in _circuits)
        {
            if (circuit.State == CircuitState.Closed)
            {
                (closed ??= []).Add(endpoint);
            }
        }

        if (closed is null)
        {
            return false;
        }

        foreach (var endpoint in closed)
        {
            _circuits.Remove(endpoint);
        }

        return true;
    }

    private sealed class Circuit
    {
        public CircuitState State;
        public int Failures;
        public int Breaks;
        public DateTimeOffset OpenUntil;
        public DateTimeOffset ProbeStartedAt;
    }
}
