using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Webhooks.Receiver.Internal;

/// <summary>The inbox's health: its store answers, and its oldest pending item is younger than the threshold.</summary>
internal sealed class WebhookInboxHealthCheck(IWebhookInbox? inbox, TimeProvider time, TimeSpan threshold) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (inbox is null)
        {
            // A set-up mistake: say what to add rather than throw from the health endpoint.
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                "AddWebhookInbox needs a receiver with an inbox: call 'AddWebhookReceiver(...).UseInbox()' (or UseSqliteInbox / UsePostgreSqlInbox).");
        }

        WebhookInboxStatistics statistics;
        try
        {
            statistics = await inbox.GetStatisticsAsync(receiverName: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The webhook inbox store cannot be read.", exception);
        }

        var age = statistics.OldestPendingReceivedAt is { } oldest ? time.GetUtcNow() - oldest : TimeSpan.Zero;
        var data = new Dictionary<string, object>
        {
            ["pending"] = statistics.Pending,
            ["dead"] = statistics.Dead,
            ["oldestPendingAgeSeconds"] = Math.Max(0, age.TotalSeconds),
        };

        return age > threshold
            ? HealthCheckResult.Degraded($"The oldest pending webhook in the inbox was received {age.TotalSeconds:0} s ago (threshold {threshold.TotalSeconds:0} s).", data: data)
            : HealthCheckResult.Healthy($"{statistics.Pending} pending, {statistics.Dead} dead.", data);
    }
}
