using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Webhooks.Core.Subscriptions;
using Webhooks.Sender.Diagnostics;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Sender.Delivery;

/// <summary>
/// The hosted delivery loop: claims due deliveries in batches under a lease, runs attempts within the global and
/// per-endpoint limits, stores each outcome, and on shutdown lets running attempts finish (within
/// <see cref="WebhookSenderOptions.ShutdownTimeout"/>) and hands the rest back to the store.
/// </summary>
internal sealed class WebhookDispatcher : BackgroundService
{
    private const int MaxEmptyClaimsBeforePoll = 3;

    private readonly IWebhookStore _store;
    private readonly WebhookAttemptExecutor _executor;
    private readonly RetryPolicy _retryPolicy;
    private readonly WebhookDispatchSignal _signal;
    private readonly WebhookSenderMetrics _metrics;
    private readonly SubscriptionMatcher _matcher;
    private readonly TimeProvider _time;
    private readonly IOptions<WebhookSenderOptions> _options;
    private readonly ILogger _logger;

    private readonly object _gate = new();
    private readonly Dictionary<string, int> _perEndpoint = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly CancellationTokenSource _abort = new();
    private int _active;
    private int _released;
    private bool _limited;
    private int _emptyClaims;
    private DateTimeOffset _backlogReadAt = DateTimeOffset.MinValue;
    private CancellationTokenSource? _shutdownDeadline;

    public WebhookDispatcher(
        IWebhookStore store,
        WebhookAttemptExecutor executor,
        RetryPolicy retryPolicy,
        WebhookDispatchSignal signal,
        WebhookSenderMetrics metrics,
        SubscriptionMatcher matcher,
        TimeProvider time,
        IOptions<WebhookSenderOptions> options,
        ILogger<WebhookDispatcher>? logger = null)
    {
        _store = store;
        _executor = executor;
        _retryPolicy = retryPolicy;
        _signal = signal;
        _metrics = metrics;
        _matcher = matcher;
        _time = time;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
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
                if (await ClaimAndStartAsync(stoppingToken).ConfigureAwait(false))
                {
                    continue;
                }

                wakeAt = await GetWakeTimeAsync(stoppingToken).ConfigureAwait(false);
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

    /// <summary>Claims what fits in the free slots and starts the attempts.</summary>
    /// <returns><see langword="true"/> when the claim came back full, so more may be due at once.</returns>
    private async Task<bool> ClaimAndStartAsync(CancellationToken stoppingToken)
    {
        var options = _options.Value;
        int free;
        string[] saturated;
        lock (_gate)
        {
            free = options.MaxConcurrentAttempts - _active;
            saturated = _perEndpoint.Count == 0 ? [] : [.. _perEndpoint.Where(e => e.Value >= options.MaxConcurrentAttemptsPerEndpoint).Select(e => e.Key)];
        }

        _limited = free <= 0 || saturated.Length > 0;
        if (free <= 0)
        {
            return false;
        }

        var want = Math.Min(options.BatchSize, free);
        var claims = await _store.ClaimAsync(
            new WebhookClaimRequest { LeaseOwner = Owner, MaxCount = want, LeaseDuration = options.LeaseDuration, ExcludedSubscriptionIds = saturated },
            stoppingToken).ConfigureAwait(false);

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

            var task = RunAttemptAsync(claim);
            _running.TryAdd(task, 0);
            _ = task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _), _running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        _emptyClaims = claims.Count == 0 ? _emptyClaims + 1 : 0;
        return claims.Count == want;
    }

    private async Task<DateTimeOffset> GetWakeTimeAsync(CancellationToken stoppingToken)
    {
        var now = _time.GetUtcNow();
        var poll = now + _options.Value.PollInterval;
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

    private async Task RunAttemptAsync(WebhookDeliveryClaim claim)
    {
        // Off the claim loop: the attempt runs on the thread pool.
        await Task.Yield();
        try
        {
            var subscription = await _store.GetSubscriptionAsync(claim.Delivery.SubscriptionId, CancellationToken.None).ConfigureAwait(false);
            if (subscription is null || !subscription.Enabled)
            {
                var reason = subscription is null
                    ? "The subscription was deleted."
                    : $"The subscription is disabled ({subscription.DisabledReason ?? "no reason given"}).";
                await CompleteAsync(claim, null, WebhookDeliveryStatus.Failed, null, reason).ConfigureAwait(false);
                Log.DeliveryFailed(_logger, claim.Delivery.Id, claim.Message.Id, claim.Delivery.SubscriptionId, reason);
                return;
            }

            await AttemptAsync(claim, subscription).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The lease runs out and the delivery is claimed again: nothing is lost.
            Log.CompletionFailed(_logger, ex, claim.Delivery.Id);
        }
        finally
        {
            lock (_gate)
            {
                _active--;
                var subscriptionId = claim.Delivery.SubscriptionId;
                if (_perEndpoint.TryGetValue(subscriptionId, out var count) && count > 1)
                {
                    _perEndpoint[subscriptionId] = count - 1;
                }
                else
                {
                    _perEndpoint.Remove(subscriptionId);
                }
            }

            _signal.Notify();
        }
    }

    private async Task AttemptAsync(WebhookDeliveryClaim claim, WebhookSubscription subscription)
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
            if (await _store.ReleaseAsync(claim.Delivery.Id, claim.Delivery.LeaseId!, null, CancellationToken.None).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _released);
            }

            return;
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

        await FinishAsync(claim, result).ConfigureAwait(false);
    }

    private async Task FinishAsync(WebhookDeliveryClaim claim, AttemptResult result)
    {
        var attempt = result.Attempt;
        var attemptsMade = claim.Delivery.AttemptCount + 1;
        var delivery = claim.Delivery;
        var errorType = result.Outcome == AttemptOutcome.Succeeded ? null : WebhookAttemptExecutor.ErrorTypeName(attempt);
        switch (result.Outcome)
        {
            case AttemptOutcome.Succeeded:
                _metrics.AttemptFinished("succeeded", null, attempt.StatusCode, attempt.Duration);
                await CompleteAsync(claim, attempt, WebhookDeliveryStatus.Succeeded, null, null).ConfigureAwait(false);
                Log.AttemptSucceeded(_logger, delivery.Id, claim.Message.Id, delivery.SubscriptionId, attemptsMade, attempt.StatusCode);
                return;

            case AttemptOutcome.Gone:
                _metrics.AttemptFinished("failed", errorType, attempt.StatusCode, attempt.Duration);
                await CompleteAsync(claim, attempt, WebhookDeliveryStatus.Failed, null, "The endpoint answered 410 Gone; the subscription was disabled.").ConfigureAwait(false);
                await DisableGoneAsync(delivery.SubscriptionId).ConfigureAwait(false);
                return;

            case AttemptOutcome.Rejected:
                _metrics.AttemptFinished("failed", errorType, attempt.StatusCode, attempt.Duration);
                await FailAsync(claim, attempt, "The endpoint rejected the payload (HTTP 413); the same bytes would be rejected again.").ConfigureAwait(false);
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

    private async Task CompleteAsync(WebhookDeliveryClaim claim, WebhookAttempt? attempt, WebhookDeliveryStatus status, DateTimeOffset? next, string? reason)
    {
        var result = await _store.CompleteAsync(
            new WebhookDeliveryCompletion
            {
                DeliveryId = claim.Delivery.Id,
                LeaseId = claim.Delivery.LeaseId!,
                Attempt = attempt,
                Status = status,
                NextAttemptAt = next,
                FailureReason = reason,
            },
            CancellationToken.None).ConfigureAwait(false);
        if (result is WebhookCompletionResult.LeaseLost or WebhookCompletionResult.NotFound)
        {
            Log.CompletionRejected(_logger, claim.Delivery.Id, result);
        }
    }

    private async Task DisableGoneAsync(string subscriptionId)
    {
        var subscription = await _store.GetSubscriptionAsync(subscriptionId, CancellationToken.None).ConfigureAwait(false);
        if (subscription is { Enabled: true })
        {
            var now = _time.GetUtcNow();
            await _store.UpdateSubscriptionAsync(
                subscription with { Enabled = false, DisabledReason = $"The endpoint answered 410 Gone at {now:O}.", UpdatedAt = now },
                CancellationToken.None).ConfigureAwait(false);
            _matcher.Invalidate();
            Log.SubscriptionGone(_logger, subscriptionId);
        }
    }

    private async Task DrainAsync()
    {
        var running = _running.Keys.ToArray();
        if (running.Length > 0)
        {
            Interlocked.CompareExchange(ref _shutdownDeadline, new CancellationTokenSource(_options.Value.ShutdownTimeout, _time), null);
            try
            {
                await Task.WhenAll(running).WaitAsync(_shutdownDeadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Out of time: cancel what still runs; those deliveries are released below.
            }
            catch (Exception)
            {
                // Each attempt task logs its own failures.
            }

            await _abort.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(_running.Keys.ToArray()).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Each attempt task logs its own failures.
            }
        }

        Log.DispatcherStopped(_logger, Owner, Volatile.Read(ref _released));
    }
}
