using System.Globalization;
using Webhooks.Core;
using Webhooks.Sender.Delivery;
using Webhooks.Sender;
using Webhooks.Sender.Storage;

namespace Webhooks.Samples.Quickstart;

/// <summary>Reads the sender's delivery log (<see cref="IWebhookDeliveries"/>) and prints it as a table.</summary>
internal static class DeliveryLog
{
    /// <summary>Waits until every delivery of <paramref name="messageIds"/> has ended; <see langword="false"/> on timeout.</summary>
    public static async Task<IReadOnlyList<WebhookDelivery>?> WaitForAllAsync(
        IWebhookDeliveries deliveries, IReadOnlyCollection<string> messageIds, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var all = new List<WebhookDelivery>();
            foreach (var messageId in messageIds)
            {
                var page = await deliveries.ListDeliveriesAsync(new() { MessageId = messageId });
                all.AddRange(page.Items);
            }

            if (all.Count >= messageIds.Count && all.TrueForAll(d => d.Status is WebhookDeliveryStatus.Succeeded or WebhookDeliveryStatus.Failed))
            {
                return all;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        return null;
    }

    /// <summary>Prints one row per delivery and one line per attempt.</summary>
    public static async Task PrintAsync(
        Transcript transcript, IWebhookDeliveries deliveries, IReadOnlyList<WebhookDelivery> rows, IReadOnlyDictionary<string, string> endpointNames)
    {
        transcript.Line($"{"message",-31} {"event",-14} {"endpoint",-8} {"status",-9} attempts");
        foreach (var delivery in rows.OrderBy(d => d.CreatedAt).ThenBy(d => d.MessageId, StringComparer.Ordinal))
        {
            transcript.Line($"{delivery.MessageId,-31} {delivery.EventType,-14} {endpointNames[delivery.SubscriptionId],-8} {delivery.Status,-9} {delivery.AttemptCount}");
            var attempts = await deliveries.ListAttemptsAsync(new() { DeliveryId = delivery.Id });
            foreach (var attempt in attempts.Items.OrderBy(a => a.AttemptNumber))
            {
                var answer = attempt.StatusCode is { } code ? code.ToString(CultureInfo.InvariantCulture) : attempt.Error.ToString();
                transcript.Line(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{"",-31}   attempt {attempt.AttemptNumber}: {answer,-3} at +{(attempt.StartedAt - delivery.CreatedAt).TotalSeconds:0.0} s, took {attempt.Duration.TotalMilliseconds:0} ms"));
            }
        }
    }

    /// <summary>Names each subscription after the path of its endpoint, for the table.</summary>
    public static Dictionary<string, string> Names(params WebhookSubscription[] subscriptions) =>
        subscriptions.ToDictionary(s => s.Id, s => s.Url.AbsolutePath.Split('/')[^1], StringComparer.Ordinal);
}
