namespace Webhooks.Receiver;

/// <summary>The inbox's backlog, for health checks and dashboards.</summary>
/// <param name="Pending">The items waiting or being processed.</param>
/// <param name="Dead">The dead items.</param>
/// <param name="OldestPendingReceivedAt">When the oldest waiting or processing item was received, if any.</param>
public sealed record WebhookInboxStatistics(long Pending, long Dead, DateTimeOffset? OldestPendingReceivedAt);
