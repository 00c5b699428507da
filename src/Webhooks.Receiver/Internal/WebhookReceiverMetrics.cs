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

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _handlerDuration;

    public WebhookReceiverMetrics(IServiceProvider services)
    {
        // IMeterFactory is registered by the ASP.NET Core host (AddMetrics); fall back to an unmanaged meter without it.
        var meter = services.GetService(typeof(IMeterFactory)) is IMeterFactory factory ? factory.Create(MeterName) : new Meter(MeterName);
        _requests = meter.CreateCounter<long>(RequestsName, unit: "{request}", description: "Webhook requests received, by outcome.");
        _handlerDuration = meter.CreateHistogram<double>(HandlerDurationName, unit: "s", description: "Time spent in the handlers of one webhook message.");
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
}
