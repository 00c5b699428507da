using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Receiver.Inbox;

namespace Webhooks.Receiver.Internal;

/// <summary>The inbox path: store the verified webhook in one write, answer once it is durable, wake the processor.</summary>
internal sealed partial class WebhookReceiverEndpoint
{
    private readonly InboxServices? _inbox;

    private async Task<string> AcceptAsync(InboxServices inbox, HttpContext context, Message message, ReadOnlyMemory<byte> body)
    {
        var entry = new WebhookInboxEntry
        {
            ReceiverName = _name,
            MessageId = message.MessageId,
            EventType = message.EventType,
            Timestamp = message.Timestamp,
            ReceivedAt = _timeProvider.GetUtcNow(),
            Body = body,
            Payload = message.Payload.Replaced,
            PayloadStart = message.Payload.Start,
            PayloadLength = message.Payload.Length,
            Headers = WebhookInboxHeaders.Write(context.Request.Headers),
        };

        WebhookInboxAddResult added;
        try
        {
            added = await inbox.Store.AddAsync(entry, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            // Not stored, so not accepted: 503 makes the sender retry later (never a 2xx for a webhook that may be lost).
            Log.InboxStoreFailed(_logger, exception, _logName, message.MessageId);
            _metrics.InboxAccepted(_name, WebhookReceiverOutcome.StoreUnavailable);
            context.Response.Headers.RetryAfter = "30";
            await WebhookProblem.WriteAsync(context.Response, WebhookProblem.StoreUnavailable).ConfigureAwait(false);
            return WebhookReceiverOutcome.StoreUnavailable;
        }

        if (added == WebhookInboxAddResult.Duplicate)
        {
            Log.DuplicateMessage(_logger, _logName, message.MessageId);
            _metrics.InboxAccepted(_name, WebhookReceiverOutcome.Duplicate);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return WebhookReceiverOutcome.Duplicate;
        }

        inbox.Signals.Get(_name).Set();
        Log.MessageStored(_logger, _logName, message.MessageId, message.EventType);
        _metrics.InboxAccepted(_name, WebhookReceiverOutcome.Stored);
        context.Response.StatusCode = inbox.Options.Get(_name).AcceptedStatusCode;
        return WebhookReceiverOutcome.Stored;
    }

    /// <summary>The services of an inbox receiver, resolved once when it is mapped.</summary>
    private sealed class InboxServices(IServiceProvider services)
    {
        public IWebhookInboxStore Store { get; } = services.GetRequiredService<IWebhookInboxStore>();

        public WebhookInboxSignals Signals { get; } = services.GetRequiredService<WebhookInboxSignals>();

        public IOptionsMonitor<WebhookInboxOptions> Options { get; } = services.GetRequiredService<IOptionsMonitor<WebhookInboxOptions>>();
    }
}
