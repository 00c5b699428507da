using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Webhooks.Core;
using Webhooks.Sender.Diagnostics;
using Webhooks.Sender.Health;
using Webhooks.Sender;
using Webhooks.Sender.Storage;

namespace Webhooks.Sender.Delivery;

/// <summary>
/// The hosted delivery loop: claims due deliveries in batches under a lease, runs attempts within the global and
/// per-endpoint limits, stores each outcome, and on shutdown lets running attempts finish (within
/// <see cref="WebhookSenderOptions.ShutdownTimeout"/>) and hands the rest back to the store.
/// </summary>
/// <remarks>
/// Each concern has one owner: <see cref="DispatchSlots"/> the global and per-endpoint slots (and so what a claim may
/// take), <see cref="WebhookCompletionBatcher"/> the outcomes on their way to the store, <see cref="RunningAttempts"/>
/// what shutdown waits for, and <see cref="DecideAsync"/> what the loop does next (claim now, or wait until when).
/// </remarks>
internal sealed partial class WebhookDispatcher : BackgroundService
{
    private const int MaxEmptyClaimsBeforePoll = 3;

    // Outcomes written to the store in one call at most; more wait for the next call.
    private const int MaxCompletionBatch = 256;

    // Outcomes waiting to be stored at most; beyond, the loop stops starting attempts until the store catches up.
    private const int MaxUnstoredCompletions = 512;

    // When nearly every slot is busy, the loop waits this long for more to free before claiming for the few free ones,
    // so that under load one claim (one store round trip) serves several deliveries instead of one each.
    private static readonly TimeSpan ClaimGatherDelay = TimeSpan.FromMilliseconds(2);

    private readonly IWebhookStore _store;
    private readonly WebhookAttemptExecutor _executor;
    private readonly RetryPolicy _retryPolicy;
    private readonly WebhookDispatchSignal _signal;
    private readonly WebhookSenderMetrics _metrics;
    private readonly EndpointHealthMonitor _health;
    private readonly TimeProvider _time;
    private readonly IOptions<WebhookSenderOptions> _options;
    private readonly ILogger _logger;
    private readonly WebhookCompletionBatcher _completions;
    private readonly RunningAttempts _running = new();
    private readonly CancellationTokenSource _abort = new();
    private DispatchSlots? _slots;
    private CancellationTokenSource? _shutdownDeadline;
    private readonly object _waitGate = new();
    private readonly List<(long After, TaskCompletionSource Signal)> _waitWatchers = [];
    private long _waits;
    private long _heartbeatTicks;
    private volatile DispatcherLoopState _loopState;
    private int _released;

    // Counted for WaitForIdleAsync: loop decisions started, attempts started, and what the loop's current wait is.
    private long _decisions;
    private long _attemptsStarted;
    private long _waitDecision;
    private DateTimeOffset? _waitWakeAt;
    private readonly List<(long AfterDecision, TaskCompletionSource<DateTimeOffset?> Signal)> _idleWatchers = [];

    // Loop state, touched by the loop only.
    private int _emptyClaims;
    private long? _gatheringSince;
    private DateTimeOffset _backlogReadAt = DateTimeOffset.MinValue;

    // Read by finishing attempts: while the loop gathers slots it wakes by itself, so only a claim's worth wakes it.
    private volatile bool _gathering;

    // Set while the loop waits for the store to catch up with outcomes: only then does a stored batch wake it.
    private volatile bool _waitingForStore;

    public WebhookDispatcher(
        IWebhookStore store,
        WebhookAttemptExecutor executor,
        RetryPolicy retryPolicy,
        WebhookDispatchSignal signal,
        WebhookSenderMetrics metrics,
        EndpointHealthMonitor health,
        TimeProvider time,
        IOptions<WebhookSenderOptions> options,
        ILogger<WebhookDispatcher>? logger = null)
    {
        _store = store;
        _executor = executor;
        _retryPolicy = retryPolicy;
        _signal = signal;
        _metrics = metrics;
        _health = health;
        _time = time;
        _options = options;
        _logger = new GuardedLogger(logger ?? (ILogger)NullLogger.Instance);
        _completions = new WebhookCompletionBatcher(store, MaxCompletionBatch, _logger, OutcomesStored);
        Owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>Gets the lease owner name of this dispatcher.</summary>
    public string Owner { get; }

    /// <summary>Gets the number of attempts holding a slot now.</summary>
    public int ActiveAttempts => _slots?.Active ?? 0;

    /// <summary>Gets what the dispatch loop is doing, for the health check.</summary>
    internal DispatcherLoopState LoopState => _loopState;

    /// <summary>Gets when the loop last went round (it does at least once per poll interval while it runs), or <see langword="null"/> before it started.</summary>
    internal DateTimeOffset? Heartbeat => Volatile.Read(ref _heartbeatTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Completes when no attempt runs (its outcome stored included); for tests that move a fake clock.</summary>
    internal Task NoAttemptsAsync() => _running.NoAttemptsAsync();

    /// <summary>Gets how many times the loop has started to wait (for tests, with <see cref="WaitingAsync"/>).</summary>
    internal long Waits
    {
        get
        {
            lock (_waitGate)
            {
                return _waits;
            }
        }
    }

    /// <summary>
    /// Completes once the loop has started a wait after the first <paramref name="after"/> (its timer armed on the
    /// clock): tests read <see cref="Waits"/>, act (publish, move a fake clock), then await this, instead of guessing
    /// when the loop got there.
    /// </summary>
    internal Task WaitingAsync(long after)
    {
        lock (_waitGate)
        {
            if (_waits > after)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waitWatchers.Add((after, signal));
            return signal.Task;
        }
    }

    /// <summary>
    /// Completes once every delivery due now has been attempted and its outcome stored, and the loop waits for a later
    /// time (or a notification): a decision that started after this call claimed nothing more.
    /// </summary>
    /// <returns>When the loop wakes by itself, on the sender's clock; <see langword="null"/> when the dispatcher is disabled.</returns>
    internal async Task<DateTimeOffset?> WaitForIdleAsync(CancellationToken cancellationToken)
    {
        if (!_options.Value.DispatcherEnabled)
        {
            return null;
        }

        var loop = ExecuteTask ?? throw new InvalidOperationException(
            "The webhook dispatcher has not started: start the host (IHost.StartAsync) before waiting for it to be idle.");
        while (true)
        {
            await WhileRunningAsync(_running.NoAttemptsAsync(), loop, cancellationToken).ConfigureAwait(false);
            var started = Interlocked.Read(ref _attemptsStarted);
            TaskCompletionSource<DateTimeOffset?> waited = new(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waitGate)
            {
                // A decision that starts from now on sees every outcome stored and everything published before this call.
                _idleWatchers.Add((Interlocked.Read(ref _decisions), waited));
            }

            _signal.Notify();
            await WhileRunningAsync(waited.Task, loop, cancellationToken).ConfigureAwait(false);
            if (Interlocked.Read(ref _attemptsStarted) == started && _running.NoAttemptsAsync().IsCompleted)
            {
                return await waited.Task.ConfigureAwait(false);
            }
        }
    }

    private static async Task WhileRunningAsync(Task task, Task loop, CancellationToken cancellationToken)
    {
        var first = await Task.WhenAny(task, loop).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (first != task)
        {
            throw new InvalidOperationException("The webhook dispatcher has stopped: there is nothing to wait for.");
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The host has started it (the loop itself may begin on another thread a moment later).
        Beat();
        _loopState = _options.Value.DispatcherEnabled ? DispatcherLoopState.Running : DispatcherLoopState.Disabled;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The shutdown clock starts when the host asks to stop, not when the loop notices.
        Interlocked.CompareExchange(ref _shutdownDeadline, new CancellationTokenSource(_options.Value.ShutdownTimeout, _time), null);
        try
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (_loopState != DispatcherLoopState.Disabled)
            {
                _loopState = DispatcherLoopState.Stopped;
            }
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        _shutdownDeadline?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _options.Value;
        if (!options.DispatcherEnabled)
        {
            return;
        }

        _slots = new DispatchSlots(options.MaxConcurrentAttempts, options.MaxConcurrentAttemptsPerEndpoint);
        Log.DispatcherStarted(_logger, Owner);

        // A store that hears of work published by other instances wakes this dispatcher at once.
        var notifications = _store as IWebhookStoreNotifications;
        EventHandler onDue = (_, _) => _signal.Notify();
        if (notifications is not null)
        {
            notifications.DeliveriesDue += onDue;
        }

        try
        {
            await RunAsync(_slots, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            if (notifications is not null)
            {
                notifications.DeliveriesDue -= onDue;
            }

            _loopState = DispatcherLoopState.Stopped;
            await DrainAsync().ConfigureAwait(false);
        }
    }

    private void Beat() => Volatile.Write(ref _heartbeatTicks, _time.GetUtcNow().UtcTicks);

    private async Task RunAsync(DispatchSlots slots, CancellationToken stoppingToken)
    {
        // Yield so that host start-up is never held up by the first store round trip.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            Beat();
            Next next;
            _waitDecision = Interlocked.Increment(ref _decisions);
            try
            {
                next = await DecideAsync(slots, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The store failed (or anything else did): look again after the poll interval; the loop never stops.
                next = Next.At(_time.GetUtcNow() + _options.Value.PollInterval);
                Log.StoreFailed(_logger, ex, _options.Value.PollInterval);
            }

            Beat();
            try
            {
                await WaitAsync(next, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>The one place that decides what the loop does next: claim and start attempts, then say when to look again.</summary>
    private async Task<Next> DecideAsync(DispatchSlots slots, CancellationToken stoppingToken)
    {
        var options = _options.Value;

        // Read at most once per poll interval, busy or idle.
        await RefreshBacklogAsync(stoppingToken).ConfigureAwait(false);

        // Set before the count is read, so a batch stored in between still wakes the loop.
        _waitingForStore = true;
        if (_completions.Unstored >= MaxUnstoredCompletions)
        {
            // The store is behind: no more attempts until outcomes are stored (each stored batch wakes the loop).
            return Next.Poll(_time, options);
        }

        _waitingForStore = false;

        if (GatherSlots(slots, options) is { } wait)
        {
            return wait;
        }

        var claim = await ClaimAndStartAsync(slots, options, stoppingToken).ConfigureAwait(false);
        _emptyClaims = claim.Claimed == 0 ? _emptyClaims + 1 : 0;
        if (claim.Claimed == claim.Wanted)
        {
            // Full: more may be due at once.
            return Next.Now;
        }

        var now = _time.GetUtcNow();
        var poll = now + options.PollInterval;
        if (claim.PausedUntil is { } resume && resume < poll)
        {
            // A paused endpoint may go again before the next poll: look then.
            poll = resume > now ? resume : now;
        }

        var due = await _store.GetNextDueTimeAsync(stoppingToken).ConfigureAwait(false);
        if (due is null)
        {
            return Next.At(poll);
        }

        if (due.Value > now)
        {
            return Next.At(due.Value < poll ? due.Value : poll);
        }

        // Something is due that this claim did not take: its endpoint is busy or all slots are (a finishing attempt
        // wakes the loop), or it became due just now (look again at once, but never spin).
        return claim.Limited || _emptyClaims >= MaxEmptyClaimsBeforePoll ? Next.At(poll) : Next.Now;
    }

    /// <summary>
    /// Decides whether to wait before claiming: when fewer than half a batch of slots are free, running attempts will
    /// free more soon, so the loop waits (up to <see cref="ClaimGatherDelay"/> while some are free, up to the poll
    /// interval while none are, a finishing attempt waking it).
    /// </summary>
    /// <returns>The wait, or <see langword="null"/> to claim now.</returns>
    private Next? GatherSlots(DispatchSlots slots, WebhookSenderOptions options)
    {
        var free = slots.Free;
        _gathering = false;
        if (free >= ClaimThreshold(options))
        {
            _gatheringSince = null;
            return null;
        }

        if (free <= 0)
        {
            // The first attempt to finish wakes the loop.
            return Next.Poll(_time, options);
        }

        // A batching heuristic, not a schedule: measured on the real clock, so a fake clock in tests never holds it up.
        var now = Stopwatch.GetTimestamp();
        _gatheringSince ??= now;
        var left = ClaimGatherDelay - Stopwatch.GetElapsedTime(_gatheringSince.Value, now);
        if (left > TimeSpan.Zero)
        {
            _gathering = true;
            return Next.Gather(left);
        }

        _gatheringSince = null;
        return null;
    }

    private static int ClaimThreshold(WebhookSenderOptions options) => Math.Max(1, Math.Min(options.BatchSize, options.MaxConcurrentAttempts) / 2);

    /// <summary>
    /// Claims what fits in the free slots (the store caps each endpoint at the slots it has left) and starts the
    /// attempts. A delivery the slots cannot take after all (a store that ignores the caps) is handed back with the
    /// others in one call, after every other delivery of the batch has started.
    /// </summary>
    private async Task<ClaimOutcome> ClaimAndStartAsync(DispatchSlots slots, WebhookSenderOptions options, CancellationToken stoppingToken)
    {
        var excluded = new List<string>();
        var capacity = new Dictionary<string, int>(StringComparer.Ordinal);
        var free = slots.Collect(excluded, capacity);

        // Endpoints whose circuit is open or that are over their rate are not claimed: their deliveries keep their place.
        var pausedUntil = _health.CollectPaused(_time.GetUtcNow(), excluded);
        var limited = free <= 0 || excluded.Count > 0 || capacity.Count > 0;
        if (free <= 0)
        {
            return new ClaimOutcome(0, 0, limited, pausedUntil);
        }

        var want = Math.Min(options.BatchSize, free);
        var claims = await _store.ClaimAsync(
            new WebhookClaimRequest
            {
                LeaseOwner = Owner,
                MaxCount = want,
                LeaseDuration = options.LeaseDuration,
                ExcludedSubscriptionIds = excluded,
                MaxPerSubscription = slots.PerEndpoint,
                SubscriptionCapacity = capacity,
                RetryAgingThreshold = options.RetryAgingThreshold,
            },
            stoppingToken).ConfigureAwait(false);

        // One read per subscription per batch, shared by its attempts (and started before any of them runs).
        var subscriptions = new Dictionary<string, Task<WebhookSubscription?>>(StringComparer.Ordinal);
        List<WebhookDeliveryRelease>? surplus = null;
        foreach (var claim in claims)
        {
            var subscriptionId = claim.Delivery.SubscriptionId;
            if (!slots.TryTake(subscriptionId, out var endpointFull))
            {
                (surplus ??= []).Add(new WebhookDeliveryRelease(claim.Delivery.Id, claim.Delivery.LeaseId!));
                limited = true;
                continue;
            }

            limited |= endpointFull;
            if (!subscriptions.TryGetValue(subscriptionId, out var subscription))
            {
                subscriptions[subscriptionId] = subscription = ReadSubscription(subscriptionId);
            }

            _running.Enter();
            Interlocked.Increment(ref _attemptsStarted);
            _ = RunAttemptAsync(slots, claim, subscription);
        }

        if (surplus is not null)
        {
            await ReleaseAsync(surplus).ConfigureAwait(false);
        }

        return new ClaimOutcome(want, claims.Count, limited, pausedUntil);
    }

    /// <summary>Hands deliveries back in one store call; if that fails, each on its own, so one bad release keeps no other.</summary>
    private async Task ReleaseAsync(List<WebhookDeliveryRelease> releases)
    {
        try
        {
            await _store.ReleaseManyAsync(releases, CancellationToken.None).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (releases.Count > 1)
        {
            Log.ReleaseFailed(_logger, ex, releases.Count);
        }
        catch (Exception ex)
        {
            // Its lease runs out and it is claimed again: nothing is lost.
            Log.ReleaseFailed(_logger, ex, 1);
            return;
        }

        foreach (var release in releases)
        {
            try
            {
                await _store.ReleaseAsync(release.DeliveryId, release.LeaseId, release.NextAttemptAt, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.ReleaseFailed(_logger, ex, 1);
            }
        }
    }

    private async Task WaitAsync(Next next, CancellationToken stoppingToken)
    {
        if (next.IsNow)
        {
            return;
        }

        // The wait is computed from the wake time at the last moment, so a clock that moved meanwhile is seen.
        var (timeout, clock) = next.GatherFor is { } gather
            ? (gather, TimeProvider.System)
            : (next.WakeAt!.Value - _time.GetUtcNow(), _time);
        _waitWakeAt = next.WakeAt;
        await _signal.WaitAsync(timeout, clock, stoppingToken, WaitArmed).ConfigureAwait(false);
    }

    private void OutcomesStored()
    {
        if (_waitingForStore)
        {
            _signal.Notify();
        }
    }

    private void WaitArmed()
    {
        lock (_waitGate)
        {
            _waits++;
            for (var i = _waitWatchers.Count - 1; i >= 0; i--)
            {
                if (_waitWatchers[i].After < _waits)
                {
                    _waitWatchers[i].Signal.TrySetResult();
                    _waitWatchers.RemoveAt(i);
                }
            }

            for (var i = _idleWatchers.Count - 1; i >= 0; i--)
            {
                if (_idleWatchers[i].AfterDecision < _waitDecision)
                {
                    _idleWatchers[i].Signal.TrySetResult(_waitWakeAt);
                    _idleWatchers.RemoveAt(i);
                }
            }
        }
    }

    private async Task RefreshBacklogAsync(CancellationToken stoppingToken)
    {
        var now = _time.GetUtcNow();
        if (now - _backlogReadAt < _options.Value.PollInterval)
        {
            return;
        }

        _backlogReadAt = now;
        _metrics.SetBacklog(await _store.CountUnfinishedAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task DrainAsync()
    {
        // The loop has stopped: no attempt starts any more.
        _running.LoopStopped();
        if (!_running.Idle.IsCompleted)
        {
            Interlocked.CompareExchange(ref _shutdownDeadline, new CancellationTokenSource(_options.Value.ShutdownTimeout, _time), null);
            try
            {
                await _running.Idle.WaitAsync(_shutdownDeadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Out of time: cancel what still runs; those deliveries are released.
            }

            await _abort.CancelAsync().ConfigureAwait(false);
            await _running.Idle.ConfigureAwait(false);
        }

        Log.DispatcherStopped(_logger, Owner, Volatile.Read(ref _released));
    }

    /// <summary>What a claim did: how many it asked for and got, whether limits held anything back, when a paused endpoint resumes.</summary>
    private readonly record struct ClaimOutcome(int Wanted, int Claimed, bool Limited, DateTimeOffset? PausedUntil);

    /// <summary>What the loop does next: go on at once, wait until a time on the clock, or gather slots on the real clock.</summary>
    private readonly record struct Next(DateTimeOffset? WakeAt, TimeSpan? GatherFor)
    {
        public static Next Now => default;

        public bool IsNow => WakeAt is null && GatherFor is null;

        public static Next At(DateTimeOffset wakeAt) => new(wakeAt, null);

        public static Next Poll(TimeProvider time, WebhookSenderOptions options) => new(time.GetUtcNow() + options.PollInterval, null);

        public static Next Gather(TimeSpan delay) => new(null, delay);
    }
}
