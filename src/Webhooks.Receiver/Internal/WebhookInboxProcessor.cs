using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Receiver.Inbox;

namespace Webhooks.Receiver.Internal;

/// <summary>
/// Runs the inbox of every receiver that uses one: claims due items with a lease, runs the receiver's typed handlers in
/// a DI scope (the same binding and dispatch as a direct request), then stores the outcome (processed, retry at the
/// next delay, or dead after the last attempt); and purges expired items in bounded batches.
/// </summary>
internal sealed class WebhookInboxProcessor(
    WebhookReceiverRegistry registry,
    IWebhookInboxStore store,
    WebhookInboxSignals signals,
    IOptionsMonitor<WebhookInboxOptions> inboxOptions,
    IOptionsMonitor<WebhookReceiverOptions> receiverOptions,
    IServiceScopeFactory scopes,
    TimeProvider time,
    WebhookReceiverMetrics metrics,
    ILoggerFactory loggers) : BackgroundService
{
    /// <summary>The most items one retention batch deletes.</summary>
    internal const int PurgeBatchSize = 1000;

    private readonly ILogger _logger = loggers.CreateLogger("Webhooks.Receiver.Inbox");

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = new List<Task>();
        foreach (var name in registry.Names)
        {
            if (registry.TryGet(name, out var definition) && definition.UsesInbox)
            {
                var receiver = new Receiver(definition);
                loops.Add(RunAsync(receiver, stoppingToken));
                loops.Add(PurgeLoopAsync(receiver, stoppingToken));
            }
        }

        return Task.WhenAll(loops);
    }

    /// <summary>Claims as many items as there are free slots, runs each, and waits for a wake-up or the poll interval when nothing is due.</summary>
    private async Task RunAsync(Receiver receiver, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var options = inboxOptions.Get(receiver.Name);
        var slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        var running = new ConcurrentDictionary<long, Task>();
        var signal = signals.Get(receiver.Name);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                var free = 1;
                while (slots.Wait(0))
                {
                    free++;
                }

                var wake = signal.Next;
                options = inboxOptions.Get(receiver.Name);
                IReadOnlyList<WebhookInboxItem> claimed;
                try
                {
                    claimed = await store.ClaimAsync(receiver.Name, Guid.NewGuid().ToString("N"), free, time.GetUtcNow(), options.LeaseDuration, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    slots.Release(free);
                    Log.InboxProcessorFailed(_logger, exception, receiver.LogName, options.PollInterval);
                    await WaitAsync(wake, options.PollInterval, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                if (free > claimed.Count)
                {
                    slots.Release(free - claimed.Count);
                }

                foreach (var item in claimed)
                {
                    running[item.Id] = RunOneAsync(receiver, item, options, slots, running, stoppingToken);
                }

                if (claimed.Count < free)
                {
                    await WaitAsync(wake, options.PollInterval, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            // Every attempt stores its outcome (or hands its item back) before the service stops.
            await Task.WhenAll(running.Values).ConfigureAwait(false);
        }
    }

    private async Task RunOneAsync(Receiver receiver, WebhookInboxItem item, WebhookInboxOptions options, SemaphoreSlim slots, ConcurrentDictionary<long, Task> running, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await ProcessAsync(receiver, item, options, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // ProcessAsync stores every outcome itself; this only catches a failure to store one, whose item comes back
            // when its lease runs out.
            Log.InboxProcessorFailed(_logger, exception, receiver.LogName, options.LeaseDuration);
        }
        finally
        {
            running.TryRemove(item.Id, out _);
            slots.Release();
        }
    }

    internal async Task ProcessAsync(Receiver receiver, WebhookInboxItem item, WebhookInboxOptions options, CancellationToken stoppingToken)
    {
        if (item.Attempts == 1)
        {
            metrics.InboxWaited(receiver.Name, time.GetUtcNow() - item.ReceivedAt);
        }

        var headers = new HeaderDictionary();
        WebhookInboxHeaders.Read(item.Headers, headers);
        using var activity = WebhookReceiverActivitySource.StartInbox(headers, receiver.Name, item.Id, item.MessageId, item.EventType, item.Attempts);
        var handlers = receiver.Route(item.EventType);
        if (handlers.Length == 0)
        {
            Log.InboxItemUnhandled(_logger, receiver.LogName, item.Id, item.MessageId, item.EventType);
            await CompleteAsync(receiver, item, TimeSpan.Zero).ConfigureAwait(false);
            return;
        }

        // The handlers' token ends with the lease (after which another processor may claim the item) or the host.
        using var lease = new CancellationTokenSource(options.LeaseDuration, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(lease.Token, stoppingToken);
        var started = time.GetTimestamp();
        try
        {
            var json = receiver.Json(receiverOptions.Get(receiver.Name));
            var data = WebhookDispatch.TryBind(handlers, item.HandlerPayload.Span, json, out var failed, out var error)
                ?? throw new InvalidOperationException($"The payload of inbox item {item.Id} cannot be read as {handlers[failed].PayloadType.Name}.", error);

            await using var scope = scopes.CreateAsyncScope();
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = linked.Token };
            context.Request.Method = HttpMethods.Post;
            foreach (var (name, value) in headers)
            {
                context.Request.Headers[name] = value;
            }

            var message = new WebhookMessage(context, receiver.Name, item.MessageId, item.EventType, item.Timestamp, item.Body);
            await WebhookDispatch.InvokeAsync(message, handlers, data, linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (stoppingToken.IsCancellationRequested && exception is OperationCanceledException)
        {
            // Stopping: hand the item back at once rather than leave it leased until the lease runs out.
            activity?.SetStatus(ActivityStatusCode.Error, "stopped");
            await store.FailAsync(item.Id, item.LeaseId!, "The processor stopped during the attempt.", time.GetUtcNow(), time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            return;
        }
        catch (Exception exception)
        {
            var elapsed = time.GetElapsedTime(started);
            metrics.HandlerCompleted(receiver.Name, item.EventType, elapsed, exception);
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            await FailAsync(receiver, item, options, exception, elapsed).ConfigureAwait(false);
            return;
        }

        metrics.HandlerCompleted(receiver.Name, item.EventType, time.GetElapsedTime(started), error: null);
        await CompleteAsync(receiver, item, time.GetElapsedTime(started)).ConfigureAwait(false);
    }

    private async Task CompleteAsync(Receiver receiver, WebhookInboxItem item, TimeSpan elapsed)
    {
        var kept = await store.CompleteAsync(item.Id, item.LeaseId!, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        if (!kept)
        {
            Log.InboxLeaseLost(_logger, receiver.LogName, item.Id);
        }

        metrics.InboxProcessed(receiver.Name, item.EventType, kept ? "processed" : "lease_lost", elapsed);
        Log.MessageHandled(_logger, receiver.LogName, item.MessageId, item.EventType);
    }

    private async Task FailAsync(Receiver receiver, WebhookInboxItem item, WebhookInboxOptions options, Exception exception, TimeSpan elapsed)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? next = item.Attempts >= options.MaxAttempts ? null : now + options.DelayAfter(item.Attempts);
        var error = Describe(exception);
        var kept = await store.FailAsync(item.Id, item.LeaseId!, error, next, now, CancellationToken.None).ConfigureAwait(false);
        if (!kept)
        {
            Log.InboxLeaseLost(_logger, receiver.LogName, item.Id);
        }
        else if (next is { } at)
        {
            Log.InboxItemRetry(_logger, exception, receiver.LogName, item.Id, item.MessageId, item.EventType, item.Attempts, at);
        }
        else
        {
            Log.InboxItemDead(_logger, exception, receiver.LogName, item.Id, item.MessageId, item.EventType, item.Attempts);
        }

        metrics.InboxProcessed(receiver.Name, item.EventType, !kept ? "lease_lost" : next is null ? "dead" : "retry", elapsed);
    }

    /// <summary>The stored failure: the exception's type and message, bounded (a handler's message is the app's own text).</summary>
    private static string Describe(Exception exception)
    {
        var text = exception.GetType().FullName + ": " + exception.Message;
        return text.Length <= 1000 ? text : text[..1000];
    }

    /// <summary>Purges processed and dead items past their retention, every <see cref="WebhookInboxOptions.RetentionInterval"/>.</summary>
    private async Task PurgeLoopAsync(Receiver receiver, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var options = inboxOptions.Get(receiver.Name);
            try
            {
                await Task.Delay(options.RetentionInterval, time, stoppingToken).ConfigureAwait(false);
                await PurgeAsync(receiver, options, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Log.InboxRetentionFailed(_logger, exception, receiver.LogName, options.RetentionInterval);
            }
        }
    }

    internal async Task PurgeAsync(Receiver receiver, WebhookInboxOptions options, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var processed = await PurgeStateAsync(receiver.Name, WebhookInboxState.Processed, now - options.ProcessedRetention, cancellationToken).ConfigureAwait(false);
        var dead = await PurgeStateAsync(receiver.Name, WebhookInboxState.Dead, now - options.DeadRetention, cancellationToken).ConfigureAwait(false);
        if (processed + dead > 0)
        {
            Log.InboxPurged(_logger, receiver.LogName, processed, dead);
        }
    }

    private async Task<long> PurgeStateAsync(string receiverName, WebhookInboxState state, DateTimeOffset before, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var purged = await store.PurgeAsync(state, before, receiverName, PurgeBatchSize, cancellationToken).ConfigureAwait(false);
            total += purged;
            if (purged < PurgeBatchSize)
            {
                return total;
            }

            // Let the claims and the accepting requests in between two batches.
            await Task.Yield();
        }
    }

    private async Task WaitAsync(Task wake, TimeSpan delay, CancellationToken stoppingToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = Task.Delay(delay, time, cancel.Token);
        await Task.WhenAny(wake, timer).ConfigureAwait(false);
        await cancel.CancelAsync().ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>One inbox receiver: its routes, and its payload reader for the current options.</summary>
    internal sealed class Receiver(WebhookReceiverDefinition definition)
    {
        private readonly Dictionary<string, WebhookHandlerBinding[]> _routes = definition.BuildRoutes();
        private readonly WebhookHandlerBinding[] _fallback = [.. definition.FallbackHandlers];
        private (WebhookReceiverOptions Options, WebhookJson Json)? _json;

        public string Name { get; } = definition.Name;

        public string LogName { get; } = definition.Name.Length == 0 ? WebhookReceiverEndpoint.DefaultLogName : definition.Name;

        public WebhookHandlerBinding[] Route(string eventType) =>
            eventType.Length > 0 && _routes.TryGetValue(eventType, out var handlers) ? handlers : _fallback;

        public WebhookJson Json(WebhookReceiverOptions options)
        {
            if (_json is not { } cached || !ReferenceEquals(cached.Options, options))
            {
                cached = (options, WebhookJson.Create(WebhookJson.Configured(options)));
                _json = cached;
            }

            return cached.Json;
        }
    }
}
