using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Options;
using Webhooks.Core;
using Webhooks.Sender.Diagnostics;
using Webhooks.Sender.Security;
using Webhooks.Sender;
using Webhooks.Sender.Storage;

namespace Webhooks.Sender.Delivery;

/// <summary>Makes one attempt: signs at attempt time, POSTs the stored bytes, records and classifies the answer.</summary>
internal sealed class WebhookAttemptExecutor(IHttpClientFactory httpClientFactory, TimeProvider time, IOptions<WebhookSenderOptions> options)
{
    private const int MaxResponseHeaders = 64;
    private const int MaxHeaderValueLength = 512;
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    // A client from the factory is cheap but not free; one is reused for a while, then a fresh one picks up the factory's
    // current handler (the factory rotates handlers, so DNS changes are seen).
    private static readonly TimeSpan ClientReuse = TimeSpan.FromSeconds(30);

    private readonly TimeoutSourcePool _timeouts = new(time);
    private HttpClient? _client;
    private long _clientCreatedAt;

    /// <summary>Sends the claimed delivery to the subscription's endpoint.</summary>
    /// <param name="claim">The claimed delivery and its message.</param>
    /// <param name="subscription">The subscription, as read just before the attempt.</param>
    /// <param name="cancellationToken">Cancelled only to abandon the attempt at shutdown (then this method throws).</param>
    /// <returns>The attempt and its meaning.</returns>
    public async Task<AttemptResult> ExecuteAsync(WebhookDeliveryClaim claim, WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var message = claim.Message;
        var delivery = claim.Delivery;
        var startedAt = time.GetUtcNow();
        var attempt = new WebhookAttempt
        {
            Id = WebhookId.New(WebhookId.AttemptPrefix, time),
            DeliveryId = delivery.Id,
            MessageId = message.Id,
            SubscriptionId = subscription.Id,
            TenantId = delivery.TenantId,
            AttemptNumber = delivery.AttemptCount + 1,
            Url = subscription.Url.GetLeftPart(UriPartial.Path),
            StartedAt = startedAt,
        };

        var secrets = subscription.GetActiveSecrets(startedAt);
        if (secrets.Count == 0)
        {
            return new AttemptResult(attempt with { Error = WebhookAttemptError.BlockedByPolicy, ErrorMessage = "The subscription has no active signing secret." }, AttemptOutcome.Retry, null);
        }

        using var activity = StartActivity(message, delivery, subscription);
        using var request = CreateRequest(message, subscription, secrets, startedAt.ToUnixTimeSeconds(), activity, settings);

        // One pooled source carries the attempt's timeout; shutdown cancels it through a registration (no linked source).
        var timeout = _timeouts.Rent(settings.AttemptTimeout);
        var shutdown = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeout);
        var started = time.GetTimestamp();
        AttemptResult result;
        try
        {
            using var response = await GetClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var excerpt = await ReadExcerptAsync(response, settings.ResponseExcerptLength, timeout.Token, cancellationToken).ConfigureAwait(false);
            var outcome = Classify(status);
            var succeeded = outcome == AttemptOutcome.Succeeded;
            attempt = attempt with
            {
                Succeeded = succeeded,
                Error = succeeded ? WebhookAttemptError.None : WebhookAttemptError.HttpStatus,
                ErrorMessage = succeeded ? null : DescribeStatus(response),
                StatusCode = status,
                ResponseHeaders = CopyHeaders(response),
                ResponseExcerpt = excerpt,
                Duration = time.GetElapsedTime(started),
            };
            result = new AttemptResult(attempt, outcome, status is 429 or 502 or 503 or 504 ? GetRetryAfter(response, time.GetUtcNow()) : null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            result = new AttemptResult(
                attempt with { Error = WebhookAttemptError.Timeout, ErrorMessage = $"No answer within {settings.AttemptTimeout.TotalSeconds:0.###} s.", Duration = time.GetElapsedTime(started) },
                AttemptOutcome.Retry,
                null);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            result = new AttemptResult(attempt with { Error = ClassifyError(ex), ErrorMessage = ex.Message, Duration = time.GetElapsedTime(started) }, AttemptOutcome.Retry, null);
        }
        finally
        {
            shutdown.Dispose();
            _timeouts.Return(timeout);
        }

        if (activity is not null)
        {
            if (result.Attempt.StatusCode is { } code)
            {
                activity.SetTag(WebhookSenderDiagnostics.StatusCodeTag, code);
            }

            if (result.Outcome != AttemptOutcome.Succeeded)
            {
                activity.SetTag(WebhookSenderDiagnostics.ErrorTypeTag, ErrorTypeName(result.Attempt));
                activity.SetStatus(ActivityStatusCode.Error, result.Attempt.ErrorMessage);
            }
        }

        return result;
    }

    private HttpClient GetClient()
    {
        var now = Environment.TickCount64;
        var client = Volatile.Read(ref _client);
        if (client is null || now - Volatile.Read(ref _clientCreatedAt) > (long)ClientReuse.TotalMilliseconds)
        {
            client = httpClientFactory.CreateClient(WebhookSenderServiceCollectionExtensions.DefaultName);
            Volatile.Write(ref _clientCreatedAt, now);
            Volatile.Write(ref _client, client);
        }

        return client;
    }

    internal static AttemptOutcome Classify(int status) => status switch
    {
        >= 200 and < 300 => AttemptOutcome.Succeeded,
        410 => AttemptOutcome.Gone,
        413 => AttemptOutcome.Rejected,
        _ => AttemptOutcome.Retry,
    };

    internal static string ErrorTypeName(WebhookAttempt attempt) => attempt.Error switch
    {
        WebhookAttemptError.HttpStatus when attempt.StatusCode is { } code => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
        WebhookAttemptError.Timeout => "timeout",
        WebhookAttemptError.NameResolution => "name_resolution",
        WebhookAttemptError.Connection => "connection",
        WebhookAttemptError.Tls => "tls",
        WebhookAttemptError.BlockedByPolicy => "blocked",
        _ => "other",
    };

    internal static TimeSpan? GetRetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static Activity? StartActivity(WebhookMessage message, WebhookDelivery delivery, WebhookSubscription subscription)
    {
        // Continue the publisher's trace: the attempt's span (and so the traceparent the endpoint sees) is its child.
        ActivityContext.TryParse(message.TraceParent, message.TraceState, out var parent);
        var activity = WebhookSenderDiagnostics.ActivitySource.StartActivity("webhook deliver " + message.EventType, ActivityKind.Client, parent);
        if (activity is not null)
        {
            activity.SetTag(WebhookSenderDiagnostics.EventTypeTag, message.EventType);
            activity.SetTag(WebhookSenderDiagnostics.MessageIdTag, message.Id);
            activity.SetTag(WebhookSenderDiagnostics.DeliveryIdTag, delivery.Id);
            activity.SetTag(WebhookSenderDiagnostics.SubscriptionIdTag, subscription.Id);
            activity.SetTag(WebhookSenderDiagnostics.AttemptTag, delivery.AttemptCount + 1);
            activity.SetTag(WebhookSenderDiagnostics.ServerAddressTag, subscription.Url.Host);
            if (delivery.TenantId is not null)
            {
                activity.SetTag(WebhookSenderDiagnostics.TenantTag, delivery.TenantId);
            }
        }

        return activity;
    }

    private static HttpRequestMessage CreateRequest(
        WebhookMessage message,
        WebhookSubscription subscription,
        IReadOnlyList<WebhookSecret> secrets,
        long timestamp,
        Activity? activity,
        WebhookSenderOptions settings)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new ReadOnlyMemoryContent(message.Payload),
        };
        request.Options.Set(SsrfGuard.EndpointOption, subscription.Id);
        request.Content.Headers.ContentType = JsonContentType;
        var headers = request.Headers;
        foreach (var (name, value) in subscription.Headers)
        {
            headers.TryAddWithoutValidation(name, value);
        }

        headers.TryAddWithoutValidation(StandardWebhookHeaders.Id, message.Id);
        headers.TryAddWithoutValidation(StandardWebhookHeaders.Timestamp, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation(StandardWebhookHeaders.Signature, StandardWebhook.Sign(secrets, message.Id, timestamp, message.Payload.Span));
        headers.TryAddWithoutValidation("User-Agent", settings.UserAgent);

        // Without a listener there is no span for HttpClient to propagate; still carry the publisher's context.
        if (activity is null && Activity.Current is null && message.TraceParent is not null)
        {
            headers.TryAddWithoutValidation("traceparent", message.TraceParent);
            if (!string.IsNullOrEmpty(message.TraceState))
            {
                headers.TryAddWithoutValidation("tracestate", message.TraceState);
            }
        }

        return request;
    }

    private static async Task<string?> ReadExcerptAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken, CancellationToken shutdownToken)
    {
        if (maxBytes <= 0 || response.Content.Headers.ContentLength == 0)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var read = 0;
                while (read < maxBytes)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(read, maxBytes - read), cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !shutdownToken.IsCancellationRequested))
        {
            // The status code is what counts; a body that breaks off or never ends is not worth failing the attempt over.
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Dictionary<string, string> CopyHeaders(HttpResponseMessage response)
    {
        // The raw values as received: nothing is parsed (and a malformed header cannot throw here).
        var copy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Copy(response.Headers.NonValidated, copy);
        Copy(response.Content.Headers.NonValidated, copy);
        return copy;

        static void Copy(HttpHeadersNonValidated headers, Dictionary<string, string> copy)
        {
            foreach (var (name, values) in headers)
            {
                if (copy.Count == MaxResponseHeaders)
                {
                    return;
                }

                var value = values.Count == 1 ? values.ToString() : string.Join(", ", values);
                copy[name] = value.Length > MaxHeaderValueLength ? value[..MaxHeaderValueLength] : value;
            }
        }
    }

    private static string DescribeStatus(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var text = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
        return status is >= 300 and < 400 ? text + " (redirects are not followed)" : text;
    }

    private static WebhookAttemptError ClassifyError(HttpRequestException ex)
    {
        if (SsrfGuard.IsBlockedByPolicy(ex, out _))
        {
            return WebhookAttemptError.BlockedByPolicy;
        }

        switch (ex.HttpRequestError)
        {
            case HttpRequestError.NameResolutionError:
                return WebhookAttemptError.NameResolution;
            case HttpRequestError.SecureConnectionError:
                return WebhookAttemptError.Tls;
            case HttpRequestError.ConnectionError:
                return WebhookAttemptError.Connection;
        }

        for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData }:
                    return WebhookAttemptError.NameResolution;
                case SocketException or IOException:
                    return WebhookAttemptError.Connection;
                case AuthenticationException:
                    return WebhookAttemptError.Tls;
            }
        }

        return WebhookAttemptError.Other;
    }
}
