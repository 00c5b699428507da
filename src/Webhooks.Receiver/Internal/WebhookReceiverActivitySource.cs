using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver.Internal;

/// <summary>The <c>Webhooks.Receiver</c> activity source; a receive activity continues the sender's trace.</summary>
internal static class WebhookReceiverActivitySource
{
    public const string Name = "Webhooks.Receiver";
    public const string ActivityName = "webhooks.receive";
    public const string InboxActivityName = "webhooks.inbox.process";

    public static readonly ActivitySource Instance = new(Name);

    /// <summary>
    /// Starts the receive activity: a child of the ASP.NET Core request activity when there is one (which already
    /// continues <c>traceparent</c>), else a child of the request's own <c>traceparent</c>.
    /// </summary>
    public static Activity? Start(HttpRequest request, string receiverName)
    {
        if (!Instance.HasListeners())
        {
            return null;
        }

        Activity? activity;
        if (Activity.Current is null && TryReadParent(request.Headers, out var parent))
        {
            activity = Instance.StartActivity(ActivityName, ActivityKind.Server, parent);
        }
        else
        {
            activity = Instance.StartActivity(ActivityName, Activity.Current is null ? ActivityKind.Server : ActivityKind.Internal);
        }

        activity?.SetTag(WebhookReceiverMetrics.ReceiverTag, receiverName);
        return activity;
    }

    /// <summary>
    /// Starts the activity of one inbox attempt, in the background: a child of the sender's trace when the stored
    /// headers carry its <c>traceparent</c>, so the processing continues the trace that delivered the webhook.
    /// </summary>
    public static Activity? StartInbox(IHeaderDictionary storedHeaders, string receiverName, long itemId, string messageId, string eventType, int attempt)
    {
        if (!Instance.HasListeners())
        {
            return null;
        }

        var activity = TryReadParent(storedHeaders, out var parent)
            ? Instance.StartActivity(InboxActivityName, ActivityKind.Consumer, parent)
            : Instance.StartActivity(InboxActivityName, ActivityKind.Consumer, parentContext: default);
        if (activity is not null)
        {
            activity.SetTag(WebhookReceiverMetrics.ReceiverTag, receiverName);
            activity.SetTag("webhooks.inbox.item.id", itemId);
            activity.SetTag("webhooks.message.id", messageId);
            activity.SetTag(WebhookReceiverMetrics.EventTypeTag, eventType);
            activity.SetTag("webhooks.inbox.attempt", attempt);
        }

        return activity;
    }

    private static bool TryReadParent(IHeaderDictionary headers, out ActivityContext parent)
    {
        parent = default;
        return headers.TryGetValue("traceparent", out var traceParent) && traceParent.Count == 1
            && ActivityContext.TryParse(traceParent[0], headers.TryGetValue("tracestate", out var traceState) && traceState.Count == 1 ? traceState[0] : null, isRemote: true, out parent);
    }
}
