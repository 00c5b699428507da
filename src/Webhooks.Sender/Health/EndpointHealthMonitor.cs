using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Webhooks.Core;
using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Sender.Health;

/// <summary>
/// The dispatcher's view of endpoint health: before an attempt, the circuit breaker and the rate limit say whether it
/// may go now; after it, its outcome feeds the breaker and the auto-disable policy, which disables the subscription
/// (once) and raises <see cref="WebhookEndpointHealthOptions.OnSubscriptionDisabled"/>.
/// </summary>
internal sealed class EndpointHealthMonitor : IDisposable
{
    /// <summary>How many recent succeeded deliveries are read to confirm a disable.</summary>
    private const int SuccessCheckLimit = 20;

    private readonly IWebhookStore _store;
    private readonly SubscriptionMatcher _matcher;
    private readonly TimeProvider _time;
    private readonly WebhookEndpointHealthOptions _options;
    private readonly EndpointHealthMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _disableGate = new(1, 1);

    public EndpointHealthMonitor(
        IWebhookStore store,
        SubscriptionMatcher matcher,
        TimeProvider time,
        IOptions<WebhookSenderOptions> options,
        EndpointHealthMetrics metrics,
        ILogger<EndpointHealthMonitor>? logger = null)
    {
        _store = store;
        _matcher = matcher;
        _time = time;
        _options = options.Value.EndpointHealth;
        _metrics = metrics;
        _logger = logger ?? (ILogger)NullLogger.Instance;

        // A probe whose outcome never comes (its process stopped) is given up when its lease would have run out.
        Breaker = new EndpointCircuitBreaker(_options.BreakAfterFailures, _options.BreakDuration, _options.MaxBreakDuration, options.Value.LeaseDuration);
        RateLimiters = new EndpointRateLimiters(time, _options.DefaultRateLimitPerSecond);
        Policy = new EndpointHealthPolicy(_options.DisableAfter);
    }

    public EndpointCircuitBreaker Breaker { get; }

    public EndpointRateLimiters RateLimiters { get; }

    public EndpointHealthPolicy Policy { get; }

    /// <summary>
    /// Adds to <paramref name="into"/> the endpoints whose deliveries must not be claimed now (circuit open or probing,
    /// over their rate) and returns when the first of them may go again.
    /// </summary>
    public DateTimeOffset? CollectPaused(DateTimeOffset now, ICollection<string> into)
    {
        var breaker = Breaker.CollectPaused(now, into);
        var limiter = RateLimiters.CollectPaused(now, into);
        return breaker is null ? limiter : limiter is null || breaker < limiter ? breaker : limiter;
    }

    /// <summary>
    /// Asks to make an attempt to the subscription's endpoint now. When refused the delivery goes back to the store
    /// untouched (same due time, same attempt count): paused or rate limited is not failed.
    /// </summary>
    public bool TryEnter(WebhookSubscription subscription, DateTimeOffset now, out TimeSpan retryAfter)
    {
        if (!Breaker.TryAcquire(subscription.Id, now, out retryAfter))
        {
            _metrics.Paused(byCircuit: true);
            return false;
        }

        if (RateLimiters.TryAcquire(subscription, now, out retryAfter))
        {
            return true;
        }

        _metrics.Paused(byCircuit: false);

        // The breaker may have picked this attempt as its probe; it will not run, so let another one probe.
        Breaker.ReportAbandoned(subscription.Id);
        return false;
    }

    /// <summary>Reports a 2xx answer.</summary>
    public void ReportSuccess(string subscriptionId)
    {
        Policy.RecordSuccess(subscriptionId);
        if (Breaker.ReportSuccess(subscriptionId) == CircuitTransition.Closed)
        {
            Log.CircuitClosed(_logger, subscriptionId);
        }
    }

    /// <summary>Reports an attempt that was not made or says nothing about the endpoint's health (shutdown, 413).</summary>
    public void ReportNeutral(string subscriptionId) => Breaker.ReportAbandoned(subscriptionId);

    /// <summary>
    /// Reports a failed attempt (any answer but 2xx, or no answer). Opens the circuit after a run of failures, and
    /// disables the subscription on 410 Gone or when it has failed for the window.
    /// </summary>
    /// <returns>The subscription as disabled when this failure disabled it; otherwise <see langword="null"/>.</returns>
    public async Task<WebhookSubscription?> ReportFailureAsync(WebhookSubscription subscription, int? statusCode, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (Breaker.ReportFailure(subscription.Id, now, out var breakDuration) == CircuitTransition.Opened)
        {
            Log.CircuitOpened(_logger, subscription.Id, breakDuration);
            _metrics.CircuitOpened();
            if (_options.OnCircuitOpened is { } onOpened)
            {
                await InvokeAsync(onOpened, new WebhookCircuitOpenedArguments(subscription, breakDuration, cancellationToken), nameof(WebhookEndpointHealthOptions.OnCircuitOpened), subscription.Id).ConfigureAwait(false);
            }
        }

        var verdict = Policy.RecordFailure(subscription, statusCode, now);
        return verdict.Disable is { } reason
            ? await DisableAsync(subscription.Id, reason, verdict.FailingSince, cancellationToken).ConfigureAwait(false)
            : null;
    }

    public void Dispose()
    {
        RateLimiters.Dispose();
        _disableGate.Dispose();
    }

    private async Task<WebhookSubscription?> DisableAsync(string subscriptionId, WebhookSubscriptionDisabledReason reason, DateTimeOffset failingSince, CancellationToken cancellationToken)
    {
        WebhookSubscription disabled;

        // One disable at a time in this process, so concurrent failures of one endpoint disable it and call back once.
        await _disableGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var current = await _store.GetSubscriptionAsync(subscriptionId, CancellationToken.None).ConfigureAwait(false);
            if (current is not { Enabled: true })
            {
                Policy.Forget(subscriptionId);
                return null;
            }

            if (reason == WebhookSubscriptionDisabledReason.FailingTooLong && await SucceededSinceAsync(subscriptionId, failingSince).ConfigureAwait(false))
            {
                Log.DisableSkippedSuccessSeen(_logger, subscriptionId, failingSince);
                Policy.RecordSuccess(subscriptionId);
                return null;
            }

            var now = _time.GetUtcNow();
            disabled = current with { Enabled = false, DisabledReason = EndpointHealthPolicy.Describe(reason, failingSince, now), UpdatedAt = now };
            if (!await _store.UpdateSubscriptionAsync(disabled, CancellationToken.None).ConfigureAwait(false))
            {
                return null;
            }

            _matcher.Invalidate();
            Policy.Forget(subscriptionId);
            Log.SubscriptionDisabled(_logger, subscriptionId, reason, disabled.DisabledReason!);
            _metrics.Disabled(reason);
        }
        finally
        {
            _disableGate.Release();
        }

        if (_options.OnSubscriptionDisabled is { } onDisabled)
        {
            var since = reason == WebhookSubscriptionDisabledReason.FailingTooLong ? failingSince : (DateTimeOffset?)null;
            await InvokeAsync(onDisabled, new WebhookSubscriptionDisabledArguments(disabled, reason, since, disabled.UpdatedAt, cancellationToken), nameof(WebhookEndpointHealthOptions.OnSubscriptionDisabled), subscriptionId).ConfigureAwait(false);
        }

        return disabled;
    }

    /// <summary>
    /// Whether the store holds a delivery of the subscription that succeeded at or after <paramref name="since"/>
    /// (another sender process may have seen it). Reads one short page of the newest succeeded deliveries.
    /// </summary>
    private async Task<bool> SucceededSinceAsync(string subscriptionId, DateTimeOffset since)
    {
        var page = await _store.ListDeliveriesAsync(
            new WebhookDeliveryQuery { SubscriptionId = subscriptionId, Status = WebhookDeliveryStatus.Succeeded, Limit = SuccessCheckLimit },
            CancellationToken.None).ConfigureAwait(false);
        foreach (var delivery in page.Items)
        {
            if (delivery.CompletedAt >= since)
            {
                return true;
            }
        }

        return false;
    }

    private async Task InvokeAsync<TArguments>(Func<TArguments, ValueTask> callback, TArguments arguments, string name, string subscriptionId)
    {
        try
        {
            await callback(arguments).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.CallbackFailed(_logger, ex, name, subscriptionId);
        }
    }
}
