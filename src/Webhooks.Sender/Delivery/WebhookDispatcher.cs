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
internal sealed class WebhookDispatcher : BackgroundService
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

    private readonly object _gate = new();
    private readonly Dictionary<string, int> _perEndpoint = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running;
    private volatile bool _draining;
    private readonly CancellationTokenSource _abort = new();
    private int _active;
    private int _released;
    private bool _limited;
    private int _emptyClaims;
    private DateTimeOffset _backlogReadAt = DateTimeOffset.MinValue;
    private DateTimeOffset? _pausedUntil;
    private long? _gatheringSince;
    private volatile bool _gathering;
    private CancellationTokenSource? _shutdownDeadline;

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
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _completions = new WebhookCompletionBatcher(store, MaxCompletionBatch, _logger, signal.Notify);
        Owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>Gets the lease owner name of this dispatcher.</summary>
    public string Owner { get; }

    /// <summary>Gets the number of attempts running now.</summary>
    public int ActiveAttempts => Volatile.Read(ref _active);

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // The shutdown clock starts when the host asks to stop, not when the loop notices.
        Interlocked.CompareExchange(ref _shutdownDeadline, new CancellationTokenSource(_options.Value.ShutdownTimeout, _time), null);
        return base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _abort.Dispose();
        _shutdownDeadline?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Value.DispatcherEnabled)
        {
            return;
        }

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
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            if (notifications is not null)
            {
                notifications.DeliveriesDue -= onDue;
            }

            await DrainAsync().ConfigureAwait(false);
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        // Yield so that host start-up is never held up by the first store round trip.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset wakeAt;
            try
            {
                // Read at most once per poll interval, busy or idle.
                await RefreshBacklogAsync(stoppingToken).ConfigureAwait(false);
                if (GatherSlots() is { } gather)
                {
                    // Busy: no store call until enough slots are free (a finishing attempt wakes the loop).
                    await _signal.WaitAsync(gather, _gathering ? TimeProvider.System : _time, stoppingToken).ConfigureAwait(false);
                    continue;
                }
                else if (await ClaimAndStartAsync(stoppingToken).ConfigureAwait(false))
                {
                    continue;
                }
                else
                {
                    wakeAt = await GetWakeTimeAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                wakeAt = _time.GetUtcNow() + _options.Value.PollInterval;
                Log.StoreFailed(_logger, ex, _options.Value.PollInterval);
            }

            try
            {
                // The wait is computed from the wake time at the last moment, so a clock that moved meanwhile is seen.
                await _signal.WaitAsync(wakeAt - _time.GetUtcNow(), _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Decides whether to wait before claiming: when fewer than half a batch of slots are free, running attempts will
    /// free more soon, so the loop waits (up to <see cref="ClaimGatherDelay"/> while some are free, up to the poll
    /// interval while none are, a finishing attempt waking it); and while too many outcomes wait to be stored, it starts
    /// nothing new until the store catches up.
    /// </summary>
    /// <returns>How long to wait, or <see langword="null"/> to claim now.</returns>
    private TimeSpan? GatherSlots()
    {
        var options = _options.Value;
        int free;
        lock (_gate)
        {
            free = options.MaxConcurrentAttempts - _active;
        }

        _gathering = false;
        if (_completions.Unstored >= MaxUnstoredCompletions)
        {
            // The store is behind: no more attempts until outcomes are stored (each stored batch wakes the loop).
            _limited = true;
            return options.PollInterval;
        }

        if (free >= ClaimThreshold(options))
        {
            _gatheringSince = null;
            return null;
        }

        if (free <= 0)
        {
            // The first attempt to finish wakes the loop.
            _limited = true;
            return options.PollInterval;
        }

        // A batching heuristic, not a schedule: measured on the real clock, so a fake clock in tests never holds it up.
        var now = Stopwatch.GetTimestamp();
        _gatheringSince ??= now;
        var left = ClaimGatherDelay - Stopwatch.GetElapsedTime(_gatheringSince.Value, now);
        if (left > TimeSpan.Zero)
        {
            _gathering = true;
            return left;
        }

        _gatheringSince = null;
        return null;
    }

    private static int ClaimThreshold(WebhookSenderOptions options) => Math.Max(1, Math.Min(options.BatchSize, options.MaxConcurrentAttempts) / 2);

    /// <summary>Claims what fits in the free slots and starts the attempts.</summary>
    /// <returns><see langword="true"/> when the claim came back full, so more may be due at once.</returns>
    private async Task<bool> ClaimAndStartAsync(CancellationToken stoppingToken)
    {
        var options = _options.Value;
        int free;
        var excluded = new List<string>();
        lock (_gate)
        {
            free = options.MaxConcurrentAttempts - _active;
            foreach (var (subscriptionId, count) in _perEndpoint)
            {
                if (count >= options.MaxConcurrentAttemptsPerEndpoint)
                {
                    excluded.Add(subscriptionId);
                }
            }
        }

        // Endpoints whose circuit is open or that are over their rate are not claimed: their deliveries keep their place.
        _pausedUntil = _health.CollectPaused(_time.GetUtcNow(), excluded);
        _limited = free <= 0 || excluded.Count > 0;
        if (free <= 0)
        {
            return false;
        }

        var want = Math.Min(options.BatchSize, free);
        var claims = await _store.ClaimAsync(
            new WebhookClaimRequest { LeaseOwner = Owner, MaxCount = want, LeaseDuration = options.LeaseDuration, ExcludedSubscriptionIds = excluded },
            stoppingToken).ConfigureAwait(false);

        // One read per subscription per batch, shared by its attempts (and started before any of them runs).
        var subscriptions = new Dictionary<string, Task<WebhookSubscription?>>(StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            var subscriptionId = claim.Delivery.SubscriptionId;
            bool start;
            lock (_gate)
            {
                _perEndpoint.TryGetValue(subscriptionId, out var count);
                start = count < options.MaxConcurrentAttemptsPerEndpoint;
                if (start)
                {
                    _perEndpoint[subscriptionId] = count + 1;
                    _active++;
                }
            }

            if (!start)
            {
                // The batch held more for this endpoint than it may take now; the next claims skip it until a slot frees.
                _limited = true;
                await _store.ReleaseAsync(claim.Delivery.Id, claim.Delivery.LeaseId!, null, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (!subscriptions.TryGetValue(subscriptionId, out var subscription))
            {
                subscriptions[subscriptionId] = subscription = ReadSubscription(subscriptionId);
            }

            Interlocked.Increment(ref _running);
            _ = RunAttemptAsync(claim, subscription);
        }

        _emptyClaims = claims.Count == 0 ? _emptyClaims + 1 : 0;
        return claims.Count == want;
    }

    private async Task<DateTimeOffset> GetWakeTimeAsync(CancellationToken stoppingToken)
    {
        var now = _time.GetUtcNow();
        var poll = now + _options.Value.PollInterval;
        if (_pausedUntil is { } resume && resume < poll)
        {
            // A paused endpoint may go again before the next poll: look then.
            poll = resume > now ? resume : now;
        }

        var next = await _store.GetNextDueTimeAsync(stoppingToken).ConfigureAwait(false);
        if (next is null)
        {
            return poll;
        }

        if (next.Value > now)
        {
            return next.Value < poll ? next.Value : poll;
        }

        // Something is due that this claim did not take: all slots or its endpoint are busy (a finishing attempt
        // wakes the loop), or it became due just now (look again at once, but never spin).
        return _limited || _emptyClaims >= MaxEmptyClaimsBeforePoll ? poll : now;
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

    private Task<WebhookSubscription?> ReadSubscription(string subscriptionId)
    {
        try
        {
            return _store.GetSubscriptionAsync(subscriptionId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            return Task.FromException<WebhookSubscription?>(ex);
        }
    }

    private async Task RunAttemptAsync(WebhookDeliveryClaim claim, Task<WebhookSubscription?> read)
    {
        // Off the claim loop: the attempt runs on the thread pool.
        await Task.Yield();
        var slotHeld = true;
        try
        {
            var subscription = await read.ConfigureAwait(false);
            if (subscription is null || !subscription.Enabled)
            {
                var reason = subscription is null
                    ? "The subscription was deleted."
                    : $"The subscription is disabled ({subscription.DisabledReason ?? "no reason given"}).";
                await CompleteAsync(claim, null, WebhookDeliveryStatus.Failed, null, reason).ConfigureAwait(false);
                Log.DeliveryFailed(_logger, claim.Delivery.Id, claim.Message.Id, claim.Delivery.SubscriptionId, reason);
                return;
            }

            if (!_health.TryEnter(subscription, _time.GetUtcNow(), out _))
            {
                // Circuit open or over the rate: hand it back as it was (due time, attempt count); the claim loop skips
                // this endpoint until it may go again.
                await _store.ReleaseAsync(claim.Delivery.Id, claim.Delivery.LeaseId!, null, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var result = await AttemptAsync(claim, subscription).ConfigureAwait(false);

            // The endpoint is done with: its slot goes to the next delivery while this outcome is stored (with others,
            // in one store call), so store latency does not hold up sending. The outcomes waiting to be stored are
            // bounded (see GatherSlots).
            slotHeld = false;
            FreeSlot(claim.Delivery.SubscriptionId);
            if (result is { } outcome)
            {
                await FinishAsync(claim, subscription, outcome).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // The lease runs out and the delivery is claimed again: nothing is lost.
            Log.CompletionFailed(_logger, ex, claim.Delivery.Id);
        }
        finally
        {
            if (slotHeld)
            {
                FreeSlot(claim.Delivery.SubscriptionId);
            }

            if (Interlocked.Decrement(ref _running) == 0 && _draining)
            {
                _idle.TrySetResult();
            }
        }
    }

    private void FreeSlot(string subscriptionId)
    {
        int free;
        lock (_gate)
        {
            _active--;
            free = _options.Value.MaxConcurrentAttempts - _active;
            if (_perEndpoint.TryGetValue(subscriptionId, out var count) && count > 1)
            {
                _perEndpoint[subscriptionId] = count - 1;
            }
            else
            {
                _perEndpoint.Remove(subscriptionId);
            }
        }

        // While the loop gathers free slots it wakes by itself within ClaimGatherDelay: wake it early only when
        // enough are free for a claim, not on every finished attempt (under load, a wake-up per delivery).
        if (!_gathering || free >= ClaimThreshold(_options.Value))
        {
            _signal.Notify();
        }
    }

    /// <summary>Runs the HTTP attempt.</summary>
    /// <returns>The outcome to store, or <see langword="null"/> when shutdown cut the attempt short (then the delivery was handed back).</returns>
    private async Task<AttemptResult?> AttemptAsync(WebhookDeliveryClaim claim, WebhookSubscription subscription)
    {
        _metrics.AttemptStarted();
        AttemptResult result;
        try
        {
            result = await _executor.ExecuteAsync(claim, subscription, _abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Shutdown ran out of time: hand the delivery back untouched, to be attempted again.
            _metrics.AttemptAborted();
            _health.ReportNeutral(subscription.Id);
            if (await _store.ReleaseAsync(claim.Delivery.Id, claim.Delivery.LeaseId!, null, CancellationToken.None).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _released);
            }

            return null;
        }
        catch (Exception ex)
        {
            Log.AttemptCrashed(_logger, ex, claim.Delivery.Id);
            result = new AttemptResult(
                new WebhookAttempt
                {
                    Id = Core.WebhookId.New(Core.WebhookId.AttemptPrefix, _time),
                    DeliveryId = claim.Delivery.Id,
                    MessageId = claim.Message.Id,
                    SubscriptionId = subscription.Id,
                    TenantId = claim.Delivery.TenantId,
                    AttemptNumber = claim.Delivery.AttemptCount + 1,
                    Url = subscription.Url.GetLeftPart(UriPartial.Path),
                    StartedAt = _time.GetUtcNow(),
                    Error = WebhookAttemptError.Other,
                    ErrorMessage = ex.GetType().Name,
                },
                AttemptOutcome.Retry,
                null);
        }

        return result;
    }

    private Task FinishAsync(WebhookDeliveryClaim claim, WebhookSubscription subscription, AttemptResult result)
    {
        if (result.Outcome != AttemptOutcome.Succeeded)
        {
            return FinishUnsuccessfulAsync(claim, subscription, result);
        }

        // The common case, without an async state machine of its own.
        var attempt = result.Attempt;
        var delivery = claim.Delivery;
        _metrics.AttemptFinished("succeeded", null, attempt.StatusCode, attempt.Duration);
        _health.ReportSuccess(subscription.Id);
        Log.AttemptSucceeded(_logger, delivery.Id, claim.Message.Id, delivery.SubscriptionId, delivery.AttemptCount + 1, attempt.StatusCode);
        return CompleteAsync(claim, attempt, WebhookDeliveryStatus.Succeeded, null, null);
    }

    private async Task FinishUnsuccessfulAsync(WebhookDeliveryClaim claim, WebhookSubscription subscription, AttemptResult result)
    {
        var attempt = result.Attempt;
        var attemptsMade = claim.Delivery.AttemptCount + 1;
        var delivery = claim.Delivery;
        var errorType = WebhookAttemptExecutor.ErrorTypeName(attempt);
        switch (result.Outcome)
        {

            case AttemptOutcome.Gone:
                _metrics.AttemptFinished("failed", errorType, attempt.StatusCode, attempt.Duration);
                await CompleteAsync(claim, attempt, WebhookDeliveryStatus.Failed, null, "The endpoint answered 410 Gone; the subscription was disabled.").ConfigureAwait(false);
                await _health.ReportFailureAsync(subscription, attempt.StatusCode, _abort.Token).ConfigureAwait(false);
                return;

            case AttemptOutcome.Rejected:
                _metrics.AttemptFinished("failed", errorType, attempt.StatusCode, attempt.Duration);
                _health.ReportNeutral(subscription.Id);
                await FailAsync(claim, attempt, "The endpoint rejected the payload (HTTP 413); the same bytes would be rejected again.").ConfigureAwait(false);
                return;
        }

        if (await _health.ReportFailureAsync(subscription, attempt.StatusCode, _abort.Token).ConfigureAwait(false) is { } disabled)
        {
            // Failing for the whole window: this delivery ends with the subscription's reason, like every pending one.
            _metrics.AttemptFinished("failed", errorType, attempt.StatusCode, attempt.Duration);
            await FailAsync(claim, attempt, $"The subscription was disabled: {disabled.DisabledReason}").ConfigureAwait(false);
            return;
        }

        var delay = _retryPolicy.GetDelay(attemptsMade, result.RetryAfter);
        if (delay is null)
        {
            _metrics.AttemptFinished("failed", errorType, attempt.StatusCode, attempt.Duration);
            await FailAsync(claim, attempt, $"Retries exhausted after {attemptsMade} attempts; the last one failed: {attempt.ErrorMessage ?? attempt.Error.ToString()}.").ConfigureAwait(false);
            return;
        }

        _metrics.AttemptFinished("retry", errorType, attempt.StatusCode, attempt.Duration);
        var next = _time.GetUtcNow() + delay.Value;
        await CompleteAsync(claim, attempt, WebhookDeliveryStatus.Pending, next, null).ConfigureAwait(false);
        Log.AttemptWillRetry(_logger, delivery.Id, delivery.SubscriptionId, attemptsMade, attempt.Error, attempt.StatusCode, next);
    }

    private async Task FailAsync(WebhookDeliveryClaim claim, WebhookAttempt attempt, string reason)
    {
        await CompleteAsync(claim, attempt, WebhookDeliveryStatus.Failed, null, reason).ConfigureAwait(false);
        Log.DeliveryFailed(_logger, claim.Delivery.Id, claim.Message.Id, claim.Delivery.SubscriptionId, reason);
    }

    /// <summary>Stores the outcome (with others that finish meanwhile, in one store call); a lost lease is logged there.</summary>
    private Task CompleteAsync(WebhookDeliveryClaim claim, WebhookAttempt? attempt, WebhookDeliveryStatus status, DateTimeOffset? next, string? reason) =>
        _completions.CompleteAsync(new WebhookDeliveryCompletion
        {
            DeliveryId = claim.Delivery.Id,
            LeaseId = claim.Delivery.LeaseId!,
            Attempt = attempt,
            Status = status,
            NextAttemptAt = next,
            FailureReason = reason,
        });

    private async Task DrainAsync()
    {
        // The loop has stopped: no attempt starts any more, so the count only goes down.
        _draining = true;
        if (Volatile.Read(ref _running) == 0)
        {
            _idle.TrySetResult();
        }

        if (!_idle.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _shutdownDeadline, new CancellationTokenSource(_options.Value.ShutdownTimeout, _time), null);
            try
            {
                await _idle.Task.WaitAsync(_shutdownDeadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Out of time: cancel what still runs; those deliveries are released.
            }

            await _abort.CancelAsync().ConfigureAwait(false);
            await _idle.Task.ConfigureAwait(false);
        }

        Log.DispatcherStopped(_logger, Owner, Volatile.Read(ref _released));
    }
}
