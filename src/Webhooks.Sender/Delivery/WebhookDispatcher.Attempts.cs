using Webhooks.Core;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Delivery;

/// <summary>One attempt: from the claimed delivery to its outcome, handed to the completion batcher.</summary>
internal sealed partial class WebhookDispatcher
{
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

    private async Task RunAttemptAsync(DispatchSlots slots, WebhookDeliveryClaim claim, Task<WebhookSubscription?> read)
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
            FreeSlot(slots, claim.Delivery.SubscriptionId);
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
                FreeSlot(slots, claim.Delivery.SubscriptionId);
            }

            _running.Exit();
        }
    }

    private void FreeSlot(DispatchSlots slots, string subscriptionId)
    {
        var free = slots.Return(subscriptionId);

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

        // The loop may be waiting for a later time (it looked while this delivery was still in flight): let it look again.
        _signal.Notify();
        Log.AttemptWillRetry(_logger, delivery.Id, delivery.SubscriptionId, attemptsMade, attempt.Error, Log.Response(attempt.StatusCode), next);
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
}
