using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Core.Events;
using Webhooks.Core;
using Webhooks.Receiver.Idempotency;
using Webhooks.Receiver.Schemes;

namespace Webhooks.Receiver.Internal;

/// <summary>
/// One mapped receiver: method and size checks, one pooled read of the body, verification, payload binding,
/// idempotency, then the handlers in the request's DI scope.
/// </summary>
internal sealed partial class WebhookReceiverEndpoint
{
    private readonly string _name;
    private readonly string _logName;
    private readonly string _keyPrefix;
    private readonly ArrayPool<byte> _pool;
    private readonly IOptionsMonitor<WebhookReceiverOptions> _optionsMonitor;
    private readonly IWebhookIdempotencyStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly WebhookReceiverMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Dictionary<string, WebhookHandlerBinding[]> _routes;
    private readonly WebhookHandlerBinding[] _fallbackHandlers;
    private State? _state;
    private int _reloadFailed;

    /// <summary>How logs name the default receiver (whose name is empty).</summary>
    internal const string DefaultLogName = "(default)";

    public WebhookReceiverEndpoint(WebhookReceiverDefinition definition, IServiceProvider services)
    {
        _name = definition.Name;
        _logName = _name.Length == 0 ? DefaultLogName : _name;
        _pool = services.GetService<WebhookBodyPool>()?.Pool ?? ArrayPool<byte>.Shared;
        _keyPrefix = string.Create(CultureInfo.InvariantCulture, $"{_name.Length}:{_name}:");
        _optionsMonitor = services.GetRequiredService<IOptionsMonitor<WebhookReceiverOptions>>();
        _store = services.GetRequiredService<IWebhookIdempotencyStore>();
        _timeProvider = services.GetRequiredService<TimeProvider>();
        _metrics = services.GetRequiredService<WebhookReceiverMetrics>();
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Webhooks.Receiver");
        _routes = definition.BuildRoutes();
        _fallbackHandlers = [.. definition.FallbackHandlers];
        _inbox = definition.UsesInbox ? new InboxServices(services) : null;
    }

    public async Task HandleAsync(HttpContext context)
    {
        using var activity = WebhookReceiverActivitySource.Start(context.Request, _name);
        var outcome = await ProcessAsync(context, activity).ConfigureAwait(false);
        _metrics.RequestCompleted(_name, outcome);
        if (activity is not null)
        {
            activity.SetTag(WebhookReceiverMetrics.OutcomeTag, outcome);
            if (context.Response.StatusCode >= 400)
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }
    }

    private async Task<string> ProcessAsync(HttpContext context, Activity? activity)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = HttpMethods.Post;
            return await RejectAsync(context, WebhookProblem.MethodNotAllowed, WebhookReceiverOutcome.MethodNotAllowed, "method not allowed").ConfigureAwait(false);
        }

        var state = GetState();
        var options = state.Options;
        var (status, body) = await WebhookBodyReader.ReadAsync(
            request, options.MaxBodySize, _pool, options.BodyReadTimeout, _timeProvider, context.RequestAborted).ConfigureAwait(false);
        switch (status)
        {
            case WebhookBodyReader.Status.TooLarge:
                return await RejectAsync(context, WebhookProblem.TooLarge, WebhookReceiverOutcome.TooLarge, "body too large").ConfigureAwait(false);
            case WebhookBodyReader.Status.Truncated:
                return await RejectAsync(context, WebhookProblem.Truncated, WebhookReceiverOutcome.BadRequest, "body shorter than declared").ConfigureAwait(false);
            case WebhookBodyReader.Status.TimedOut:
                Log.BodyTimedOut(_logger, _logName, options.BodyReadTimeout);
                await WebhookProblem.WriteAsync(context.Response, WebhookProblem.BodyTimeout).ConfigureAwait(false);
                return WebhookReceiverOutcome.BodyTimeout;
            case WebhookBodyReader.Status.Aborted:
                Log.RequestAborted(_logger, _logName);
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return WebhookReceiverOutcome.Aborted;
        }

        // The body stays rented until the handlers are done: it is the context's RawBody.
        using (body)
        {
            return await ProcessBodyAsync(context, activity, state, body.Memory).ConfigureAwait(false);
        }
    }

    private async Task<string> ProcessBodyAsync(HttpContext context, Activity? activity, State state, ReadOnlyMemory<byte> body)
    {
        var options = state.Options;
        if (Prepare(context, state, body.Span, out var message) is { } reject)
        {
            return await RejectAsync(context, reject.Problem, reject.Outcome, reject.Reason).ConfigureAwait(false);
        }

        activity?.SetTag("webhooks.message.id", message.MessageId);
        activity?.SetTag(WebhookReceiverMetrics.EventTypeTag, message.EventType);

        if (message.Challenge is { } challenge)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(challenge, context.RequestAborted).ConfigureAwait(false);
            return WebhookReceiverOutcome.Handled;
        }

        if (message.Handlers.Length == 0)
        {
            context.Response.StatusCode = options.UnhandledEventStatusCode;
            if (message.EventType.Length == 0)
            {
                // A genuine message that names no type could only have gone to a fallback handler: say so loudly.
                Log.MissingEventType(_logger, _logName, message.MessageId, options.UnhandledEventStatusCode);
                return WebhookReceiverOutcome.MissingEventType;
            }

            Log.UnhandledEvent(_logger, _logName, message.EventType, message.MessageId, options.UnhandledEventStatusCode);
            return WebhookReceiverOutcome.Unhandled;
        }

        return _inbox is { } inbox
            ? await AcceptAsync(inbox, context, message, body).ConfigureAwait(false)
            : await DispatchAsync(context, options, message, body).ConfigureAwait(false);
    }

    /// <summary>Verifies the request and binds its payload (the handlers get the body itself only as RawBody).</summary>
    private Rejection? Prepare(HttpContext context, State state, ReadOnlySpan<byte> body, out Message message)
    {
        message = default;
        var result = state.Scheme.Verify(context.Request.Headers, body, state.Options, _timeProvider.GetUtcNow());
        if (!result.IsValid)
        {
            var reason = result.Status.ToString();
            return result.Status is WebhookVerificationStatus.MissingHeader or WebhookVerificationStatus.MalformedHeader or WebhookVerificationStatus.MalformedTimestamp
                ? new Rejection(WebhookProblem.InvalidHeaders, WebhookReceiverOutcome.InvalidHeaders, reason)
                : new Rejection(WebhookProblem.Unauthorized, WebhookReceiverOutcome.Unauthorized, reason);
        }

        var eventType = result.EventType;
        var timestamp = result.Timestamp;
        var payload = result.Payload is { } replaced ? replaced.Span : body;
        var (payloadStart, payloadLength) = (0, body.Length);
        if (result.IsEnvelope)
        {
            if (WebhookEnvelope.TryRead(body, out var envelope))
            {
                eventType = envelope.Type;
                timestamp = envelope.Timestamp ?? timestamp;

                // Without "data" the payload is the whole body (a flat Svix-style payload that names its type).
                payload = envelope.HasData ? body.Slice(envelope.DataOffset, envelope.DataLength) : body;
                (payloadStart, payloadLength) = envelope.HasData ? (envelope.DataOffset, envelope.DataLength) : (0, body.Length);
            }
            else if (JsonFields.IsValid(body))
            {
                // Genuine JSON that names no type: only a fallback handler can take it.
                eventType = string.Empty;
            }
            else
            {
                return new Rejection(WebhookProblem.InvalidPayload, WebhookReceiverOutcome.InvalidPayload, "the body is not JSON");
            }
        }

        if (result.MessageId is not { } messageId || eventType is null || (eventType.Length > 0 && !WebhookHeaders.IsToken(eventType)))
        {
            return new Rejection(WebhookProblem.MissingEvent, WebhookReceiverOutcome.InvalidPayload, "the payload does not name its event type and id");
        }

        if (state.Scheme is SlackScheme && eventType == SlackScheme.UrlVerification)
        {
            message = new Message(messageId, eventType, timestamp, [], [], SlackScheme.ReadChallenge(body) ?? string.Empty, default);
            return null;
        }

        var handlers = eventType.Length > 0 && _routes.TryGetValue(eventType, out var routed) ? routed : _fallbackHandlers;
        if (handlers.Length == 0 && !result.IsEnvelope && !JsonFields.IsValid(payload))
        {
            // One rule whatever the handlers: every payload is JSON, so a genuine body that is not gets 400 (a handler
            // would have refused it the same way), rather than 200 when nothing happens to be registered for its type.
            return new Rejection(WebhookProblem.InvalidPayload, WebhookReceiverOutcome.InvalidPayload, "the payload is not JSON");
        }

        if (WebhookDispatch.TryBind(handlers, payload, state.Json, out var failed, out var error) is not { } data)
        {
            Log.PayloadInvalid(_logger, _logName, messageId, eventType, handlers[failed].PayloadType.Name, error?.Path ?? "$");
            return new Rejection(
                WebhookProblem.InvalidPayload, WebhookReceiverOutcome.InvalidPayload, error is null ? "the payload is null" : "the payload is not of the handler's type");
        }

        message = new Message(messageId, eventType, timestamp, handlers, data, Challenge: null, new PayloadLocation(result.Payload, payloadStart, payloadLength));
        return null;
    }

    private async Task<string> DispatchAsync(HttpContext context, WebhookReceiverOptions options, Message message, ReadOnlyMemory<byte> body)
    {
        var key = string.Concat(_keyPrefix, message.MessageId);
        WebhookIdempotencyStatus claim;
        try
        {
            claim = await _store.TryBeginAsync(key, options.IdempotencyLease, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            // Without the store a duplicate cannot be told apart: answer 503 so the sender retries later.
            Log.IdempotencyStoreFailed(_logger, exception, _logName, message.MessageId);
            context.Response.Headers.RetryAfter = "30";
            await WebhookProblem.WriteAsync(context.Response, WebhookProblem.StoreUnavailable).ConfigureAwait(false);
            return WebhookReceiverOutcome.StoreUnavailable;
        }

        if (claim == WebhookIdempotencyStatus.Completed)
        {
            Log.DuplicateMessage(_logger, _logName, message.MessageId);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return WebhookReceiverOutcome.Duplicate;
        }

        if (claim == WebhookIdempotencyStatus.InProgress)
        {
            Log.MessageInProgress(_logger, _logName, message.MessageId);
            context.Response.Headers.RetryAfter = "5";
            await WebhookProblem.WriteAsync(context.Response, WebhookProblem.InProgress).ConfigureAwait(false);
            return WebhookReceiverOutcome.InProgress;
        }

        var shared = new WebhookMessage(context, _name, message.MessageId, message.EventType, message.Timestamp, body);
        var started = _timeProvider.GetTimestamp();
        try
        {
            await WebhookDispatch.InvokeAsync(shared, message.Handlers, message.Data, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _metrics.HandlerCompleted(_name, message.EventType, _timeProvider.GetElapsedTime(started), exception);
            Log.HandlerFailed(_logger, exception, _logName, message.MessageId, message.EventType);
            await FinishClaimAsync(key, retention: null, message.MessageId).ConfigureAwait(false);
            await WebhookProblem.WriteAsync(context.Response, WebhookProblem.HandlerFailed).ConfigureAwait(false);
            return WebhookReceiverOutcome.HandlerFailed;
        }

        _metrics.HandlerCompleted(_name, message.EventType, _timeProvider.GetElapsedTime(started), error: null);
        var retention = options.IdempotencyRetention > 2 * options.Tolerance ? options.IdempotencyRetention : 2 * options.Tolerance;
        await FinishClaimAsync(key, retention, message.MessageId).ConfigureAwait(false);
        Log.MessageHandled(_logger, _logName, message.MessageId, message.EventType);
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
        }

        return WebhookReceiverOutcome.Handled;
    }

    /// <summary>Completes (with a retention) or releases a claim; a store failure is logged, not turned into an error for a request already handled.</summary>
    private async Task FinishClaimAsync(string key, TimeSpan? retention, string messageId)
    {
        try
        {
            await (retention is { } keep
                ? _store.CompleteAsync(key, keep, CancellationToken.None)
                : _store.ReleaseAsync(key, CancellationToken.None)).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Log.IdempotencyStoreFailed(_logger, exception, _logName, messageId);
        }
    }

    private async Task<string> RejectAsync(HttpContext context, WebhookProblem.Problem problem, string outcome, string reason)
    {
        if (problem == WebhookProblem.Unauthorized)
        {
            Log.VerificationFailed(_logger, _logName, reason);
        }
        else
        {
            Log.RequestRejected(_logger, _logName, problem.Status, reason);
        }

        await WebhookProblem.WriteAsync(context.Response, problem).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>The scheme built for the current options; rebuilt when the options change (configuration reload).</summary>
    private State GetState()
    {
        var last = _state;
        WebhookReceiverOptions options;
        try
        {
            options = _optionsMonitor.Get(_name);
        }
        catch (Exception exception) when (last is not null && exception is OptionsValidationException or InvalidOperationException)
        {
            // A configuration reload that does not bind or validate (start-up checked the first one): keep answering with
            // the options that worked, and say so once, rather than fail every request until the configuration is fixed.
            if (Interlocked.Exchange(ref _reloadFailed, 1) == 0)
            {
                Log.ReloadedOptionsInvalid(_logger, exception, _logName);
            }

            return last;
        }

        Volatile.Write(ref _reloadFailed, 0);
        var state = last;
        if (state is null || !ReferenceEquals(state.Options, options))
        {
            state = new State(options, WebhookSchemeFactory.Create(options), WebhookJson.Create(WebhookJson.Configured(options)));
            _state = state;
        }

        return state;
    }

    private sealed record State(WebhookReceiverOptions Options, IWebhookSignatureScheme Scheme, WebhookJson Json);

    private readonly record struct Rejection(WebhookProblem.Problem Problem, string Outcome, string Reason);

    private readonly record struct Message(
        string MessageId, string EventType, DateTimeOffset? Timestamp, WebhookHandlerBinding[] Handlers, object?[] Data, string? Challenge, PayloadLocation Payload);

    /// <summary>Where the handlers' JSON is: a payload of its own (a Slack form), else a slice of the body.</summary>
    private readonly record struct PayloadLocation(ReadOnlyMemory<byte>? Replaced, int Start, int Length);
}
