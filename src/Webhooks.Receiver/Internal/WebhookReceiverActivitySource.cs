using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver.Internal;

/// <summary>The <c>Webhooks.Receiver</c> activity source; a receive activity continues the sender's trace.</summary>
internal static class WebhookReceiverActivitySource
{
    public const string Name = "Webhooks.Receiver";
    public const string ActivityName = "webhooks.receive";

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
        if (Activity.Current is null
            && request.Headers.TryGetValue("traceparent", out var traceParent) && traceParent.Count == 1
            && ActivityContext.TryParse(traceParent[0], request.Headers.TryGetValue("tracestate", out var traceState) && traceState.Count == 1 ? traceState[0] : null, isRemote: true, out var parent))
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
}
