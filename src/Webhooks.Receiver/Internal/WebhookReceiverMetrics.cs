using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Webhooks.Receiver.Internal;

/// <summary>The <c>Webhooks.Receiver</c> meter: requests by outcome, handler duration.</summary>
internal sealed class WebhookReceiverMetrics
{
    public const string MeterName = "Webhooks.Receiver";
    public const string RequestsName = "webhooks.receiver.requests";
    public const string HandlerDurationName = "webhooks.receiver.handler.duration";
    public const string ReceiverTag = "webhooks.receiver.name";
    public const string OutcomeTag = "webhooks.receiver.outcome";
    public const string EventTypeTag = "webhooks.event.type";
    public const string ErrorTypeTag = "error.type";
    public const string InboxAcceptedName = "webhooks.inbox.accepted";
    public const string InboxProcessedName = "webhooks.inbox.processed";
    public const string InboxDurationName = "webhooks.inbox.processing.duration";
    public const string InboxWaitName = "webhooks.inbox.wait.duration";
    public const string InboxOutcomeTag = "webhooks.inbox.outcome";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _handlerDuration;
    private readonly Counter<long> _inboxAccepted;
    private readonly Counter<long> _inboxProcessed;
    private readonly Histogram<double> _inboxDuration;
    private readonly Histogram<double> _inboxWait;

    public WebhookReceiverMetrics(IServiceProvider services)
    {
        // IMeterFactory is registered by the ASP.NET Core host (AddMetrics); fall back to an unmanaged meter without it.
        var meter = services.GetService(typeof(IMeterFactory)) is IMeterFactory factory ? factory.Create(MeterName) : new Meter(MeterName);
        _requests = meter.CreateCounter<long>(RequestsName, unit: "{request}", description: "Webhook requests received, by outcome.");
        _handlerDuration = meter.CreateHistogram<double>(HandlerDurationName, unit: "s", description: "Time spent in the handlers of one webhook message.");
        _inboxAccepted = meter.CreateCounter<long>(InboxAcceptedName, unit: "{item}", description: "Webhooks offered to an inbox, by outcome (stored, duplicate, store_unavailable).");
        _inboxProcessed = meter.CreateCounter<long>(InboxProcessedName, unit: "{attempt}", description: "Inbox processing attempts, by outcome (processed, retry, dead, lease_lost).");
        _inboxDuration = meter.CreateHistogram<double>(InboxDurationName, unit: "s", description: "Time one inbox attempt spent in the handlers.");
        _inboxWait = meter.CreateHistogram<double>(InboxWaitName, unit: "s", description: "Time from accepting a webhook into the inbox to the start of its first attempt.");
    }

    public void RequestCompleted(string receiverName, string outcome)
    {
        if (_requests.Enabled)
        {
            _requests.Add(1, new TagList { { ReceiverTag, receiverName }, { OutcomeTag, outcome } });
        }
    }

    public void HandlerCompleted(string receiverName, string eventType, TimeSpan duration, Exception? error)
    {
        if (_handlerDuration.Enabled)
        {
            var tags = new TagList { { ReceiverTag, receiverName }, { EventTypeTag, eventType } };
            if (error is not null)
            {
                tags.Add(ErrorTypeTag, error.GetType().FullName);
            }

            _handlerDuration.Record(duration.TotalSeconds, tags);
        }
    }

    public void InboxAccepted(string receiverName, string outcome)
    {
        if (_inboxAccepted.Enabled)
        {
            _inboxAccepted.Add(1, new TagList { { ReceiverTag, receiverName }, { InboxOutcomeTag, outcome } });
        }
    }

    public void InboxProcessed(string receiverName, string eventType, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { ReceiverTag, receiverName }, { EventTypeTag, eventType }, { InboxOutcomeTag, outcome } };
        _inboxProcessed.Add(1, tags);
        _inboxDuration.Record(duration.TotalSeconds, tags);
    }

    public void InboxWaited(string receiverName, TimeSpan wait)
    {
        if (_inboxWait.Enabled)
        {
            _inboxWait.Record(wait.TotalSeconds, new TagList { { ReceiverTag, receiverName } });
        }
    }
}
