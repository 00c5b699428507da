using System.Diagnostics.Metrics;
using System.Diagnostics;

namespace Webhooks.Sender.Diagnostics;

/// <summary>The <c>Webhooks.Sender</c> meter's instruments.</summary>
internal sealed class WebhookSenderMetrics : IDisposable
{
    public const string PublishedName = "webhooks.sender.messages.published";
    public const string AttemptsName = "webhooks.sender.attempts";
    public const string DurationName = "webhooks.sender.delivery.duration";
    public const string BacklogName = "webhooks.sender.backlog";
    public const string ActiveName = "webhooks.sender.attempts.active";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _published;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _active;
    private long _backlog;

    public WebhookSenderMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(WebhookSenderDiagnostics.Name, WebhookSenderDiagnostics.Version)
            ?? new Meter(WebhookSenderDiagnostics.Name, WebhookSenderDiagnostics.Version);
        _published = _meter.CreateCounter<long>(PublishedName, "{message}", "Messages published.");
        _attempts = _meter.CreateCounter<long>(AttemptsName, "{attempt}", "Delivery attempts, by outcome.");
        _duration = _meter.CreateHistogram<double>(DurationName, "s", "Duration of each delivery attempt.");
        _active = _meter.CreateUpDownCounter<long>(ActiveName, "{attempt}", "Delivery attempts running now.");
        _meter.CreateObservableGauge(BacklogName, () => Volatile.Read(ref _backlog), "{delivery}", "Deliveries not yet finished (pending or in flight), as last read from the store.");
    }

    public void Published(string eventType, int subscriptionCount) =>
        _published.Add(1, new KeyValuePair<string, object?>(WebhookSenderDiagnostics.EventTypeTag, eventType), new KeyValuePair<string, object?>("webhooks.matched", subscriptionCount > 0));

    public void AttemptStarted() => _active.Add(1);

    public void AttemptAborted() => _active.Add(-1);

    public void AttemptFinished(string outcome, string? errorType, int? statusCode, TimeSpan duration)
    {
        _active.Add(-1);
        var tags = new TagList
        {
            { WebhookSenderDiagnostics.OutcomeTag, outcome },
        };
        if (errorType is not null)
        {
            tags.Add(WebhookSenderDiagnostics.ErrorTypeTag, errorType);
        }

        if (statusCode is not null)
        {
            tags.Add(WebhookSenderDiagnostics.StatusCodeTag, statusCode.Value);
        }

        _attempts.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
    }

    public void SetBacklog(long value) => Volatile.Write(ref _backlog, value);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
