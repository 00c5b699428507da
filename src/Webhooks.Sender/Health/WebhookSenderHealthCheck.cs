using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Webhooks.Sender.Delivery;
using Webhooks.Sender.Storage;

namespace Webhooks.Sender.Health;

/// <summary>
/// The sender's health: the store answers, this instance's dispatch loop goes round, the oldest due delivery has not
/// waited too long; the number of disabled endpoints is reported in the data.
/// </summary>
internal sealed class WebhookSenderHealthCheck(
    IWebhookStore? store,
    IEnumerable<Microsoft.Extensions.Hosting.IHostedService> hostedServices,
    IOptions<WebhookSenderOptions> senderOptions,
    TimeProvider time,
    WebhookSenderHealthCheckOptions options) : IHealthCheck
{
    private readonly WebhookDispatcher? _dispatcher = hostedServices.OfType<WebhookDispatcher>().FirstOrDefault();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (store is null)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The webhook sender's health check needs the sender: call services.AddWebhookSender() first.");
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var failures = new List<string>();
        var degradations = new List<string>();
        CheckDispatcher(data, failures);

        DateTimeOffset? due;
        try
        {
            due = await store.GetNextDueTimeAsync(cancellationToken).ConfigureAwait(false);
            await CountDisabledAsync(store, data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failures.Insert(0, $"The delivery store could not be reached ({ex.GetType().Name}).");
            return new HealthCheckResult(context.Registration.FailureStatus, string.Join(" ", failures), ex, data);
        }

        var now = time.GetUtcNow();
        if (due is { } oldest && oldest <= now)
        {
            var age = now - oldest;
            data["oldest_due_at"] = oldest.ToString("O", CultureInfo.InvariantCulture);
            data["oldest_due_age_seconds"] = Math.Round(age.TotalSeconds, 3);
            if (age > options.DueDeliveryDegradedAfter)
            {
                degradations.Add($"The oldest due delivery has waited {Format(age)}, more than {Format(options.DueDeliveryDegradedAfter)}.");
            }
        }

        if (failures.Count > 0)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, string.Join(" ", failures.Concat(degradations)), data: data);
        }

        return degradations.Count > 0
            ? HealthCheckResult.Degraded(string.Join(" ", degradations), data: data)
            : HealthCheckResult.Healthy("The sender is delivering.", data);
    }

    private void CheckDispatcher(Dictionary<string, object> data, List<string> failures)
    {
        if (_dispatcher is null)
        {
            data["dispatcher"] = "absent";
            return;
        }

        var state = _dispatcher.LoopState;
        data["dispatcher"] = state switch
        {
            DispatcherLoopState.NotStarted => "not_started",
            DispatcherLoopState.Running => "running",
            DispatcherLoopState.Stopped => "stopped",
            _ => "disabled",
        };
        switch (state)
        {
            case DispatcherLoopState.NotStarted:
                failures.Add("The dispatcher has not started (is the host running?).");
                break;
            case DispatcherLoopState.Stopped:
                failures.Add("The dispatcher has stopped.");
                break;
            case DispatcherLoopState.Running when _dispatcher.Heartbeat is { } beat:
                var quiet = time.GetUtcNow() - beat;
                var poll = senderOptions.Value.PollInterval;
                var limit = options.DispatcherStalledAfter > 3 * poll ? options.DispatcherStalledAfter : 3 * poll;
                data["dispatcher_last_round_seconds_ago"] = Math.Round(Math.Max(quiet.TotalSeconds, 0), 3);
                if (quiet > limit)
                {
                    failures.Add($"The dispatcher has not gone round for {Format(quiet)}, more than {Format(limit)}: it is stalled.");
                }

                break;
        }
    }

    private async Task CountDisabledAsync(IWebhookStore store, Dictionary<string, object> data, CancellationToken cancellationToken)
    {
        var counted = 0;
        string? after = null;
        var capped = false;
        do
        {
            var limit = Math.Min(WebhookQuery.MaxLimit, options.MaxDisabledEndpointsCounted - counted);
            var page = await store.ListSubscriptionsAsync(new WebhookSubscriptionQuery { Enabled = false, Limit = limit, After = after }, cancellationToken).ConfigureAwait(false);
            counted += page.Items.Count;
            after = page.ContinuationToken;
            capped = after is not null && counted >= options.MaxDisabledEndpointsCounted;
        }
        while (after is not null && !capped);

        data["disabled_endpoints"] = counted;
        if (capped)
        {
            data["disabled_endpoints_capped"] = true;
        }
    }

    private static string Format(TimeSpan span) => span.TotalSeconds < 120
        ? span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s"
        : span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min";
}
