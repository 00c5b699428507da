using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhooks.Core;
using Webhooks.Core.Events;

namespace Webhooks.Testing;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 for sender integration tests: it verifies each request's Standard Webhooks
/// signature, records it, and answers as scripted (fail the first attempts of each message, answer a status such as
/// 410, add <c>Retry-After</c>, delay the answer). Any path is accepted; <see cref="Url"/> is <c>/webhooks</c>.
/// Dispose it to stop the server.
/// </summary>
/// <remarks>
/// The sender's SSRF guard refuses loopback and plain http by default: a sender under test allows them with
/// <see cref="WebhookTestingSenderBuilderExtensions.AllowLoopbackForTesting"/>.
/// </remarks>
public sealed class WebhookTestEndpoint : IAsyncDisposable
{
    /// <summary>The status recorded for a request whose sender gave up before the answer.</summary>
    public const int ClientClosedRequest = 499;

    private readonly WebApplication _app;
    private readonly WebhookTestEndpointOptions _options;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly List<WebhookTestDelivery> _deliveries = [];
    private readonly Dictionary<(string Path, string Id), int> _attempts = [];
    private readonly List<(Func<IReadOnlyList<WebhookTestDelivery>, bool> Condition, TaskCompletionSource<IReadOnlyList<WebhookTestDelivery>> Done)> _waiters = [];
    private readonly List<WebhookSecret> _secrets;
    private readonly Dictionary<string, StandardWebhookVerifier> _pathVerifiers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<WebhookSecret>> _pathSecrets = new(StringComparer.OrdinalIgnoreCase);
    private StandardWebhookVerifier _verifier;
    private Script _script = Script.Default;
    private int _received;
    private int _disposed;

    private WebhookTestEndpoint(WebApplication app, WebhookTestEndpointOptions options)
    {
        _app = app;
        _options = options;
        _time = options.TimeProvider ?? TimeProvider.System;
        _secrets = options.Secrets.Count > 0 ? [.. options.Secrets] : [WebhookSecret.Generate()];
        _verifier = new StandardWebhookVerifier(_secrets, _time, options.Tolerance);
    }

    /// <summary>Gets the server's address, for example <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets the URL to subscribe: <see cref="BaseAddress"/> + <c>webhooks</c>.</summary>
    public Uri Url => new(BaseAddress, "webhooks");

    /// <summary>Gets the first secret requests are verified with (generated when the options gave none): pass it to the subscription.</summary>
    public WebhookSecret Secret => _secrets[0];

    /// <summary>Gets how many POST requests have arrived, including those not answered yet (held by a delay or a responder).</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>Gets a snapshot of the requests answered so far, in order.</summary>
    public IReadOnlyList<WebhookTestDelivery> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>Starts an endpoint on 127.0.0.1.</summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The started endpoint.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public static async Task<WebhookTestEndpoint> StartAsync(WebhookTestEndpointOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new WebhookTestEndpointOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBodySize, "options.MaxBodySize");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Tolerance, TimeSpan.Zero, "options.Tolerance");
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, "options.Port");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort, "options.Port");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();
        var endpoint = new WebhookTestEndpoint(app, options);
        app.Run(endpoint.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return endpoint;
    }

    /// <summary>Gets the URL of another path on this endpoint.</summary>
    /// <param name="path">The path, for example <c>/hooks/a</c>.</param>
    /// <returns>The URL.</returns>
    public Uri UrlFor(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new Uri(BaseAddress, path.TrimStart('/'));
    }

    /// <summary>Accepts signatures made with one more secret (for example a subscription's generated secret, or a rotated one) on every path without secrets of its own.</summary>
    /// <param name="secret">The secret.</param>
    public void Trust(WebhookSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        lock (_gate)
        {
            _secrets.Add(secret);
            _verifier = new StandardWebhookVerifier([.. _secrets], _time, _options.Tolerance);
        }
    }

    /// <summary>
    /// Verifies requests on <paramref name="path"/> with its own secrets (this one and any added before for the path)
    /// instead of the endpoint's: several subscriptions, each with its own secret, on one endpoint, and a delivery signed
    /// with another subscription's secret fails.
    /// </summary>
    /// <param name="secret">The secret.</param>
    /// <param name="path">The path, for example <c>/hooks/a</c> (matched ignoring case).</param>
    public void Trust(WebhookSecret secret, string path)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = "/" + path.TrimStart('/');
        lock (_gate)
        {
            if (!_pathSecrets.TryGetValue(path, out var secrets))
            {
                _pathSecrets[path] = secrets = [];
            }

            secrets.Add(secret);
            _pathVerifiers[path] = new StandardWebhookVerifier([.. secrets], _time, _options.Tolerance);
        }
    }

    /// <summary>Answers the first <paramref name="count"/> requests of every message id (at each path) with <paramref name="statusCode"/>, later ones as scripted otherwise.</summary>
    /// <param name="count">How many attempts of each message fail.</param>
    /// <param name="statusCode">The failing status; 500 by default.</param>
    /// <param name="retryAfter">A <c>Retry-After</c> to send with the failures (whole seconds), or <see langword="null"/>.</param>
    /// <returns>This endpoint.</returns>
    public WebhookTestEndpoint FailFirst(int count, HttpStatusCode statusCode = HttpStatusCode.InternalServerError, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ThrowIfInvalid(statusCode, retryAfter);
        return Change(s => s with { FailCount = count, FailStatus = (int)statusCode, FailRetryAfter = retryAfter });
    }

    /// <summary>Answers every request (after any <see cref="FailFirst"/> failures) with <paramref name="statusCode"/>, for example 410 Gone; a 3xx carries a <c>Location</c> on this endpoint.</summary>
    /// <param name="statusCode">The status.</param>
    /// <param name="retryAfter">A <c>Retry-After</c> to send (whole seconds), or <see langword="null"/>.</param>
    /// <returns>This endpoint.</returns>
    public WebhookTestEndpoint RespondWith(HttpStatusCode statusCode, TimeSpan? retryAfter = null)
    {
        ThrowIfInvalid(statusCode, retryAfter);
        return Change(s => s with { Status = (int)statusCode, RetryAfter = retryAfter, Responder = null });
    }

    /// <summary>
    /// Answers with whatever <paramref name="responder"/> returns (after any <see cref="FailFirst"/> failures), for
    /// scripts the other methods cannot say: hold a request until the test releases it, fail one path only, and so on.
    /// A responder that throws <see cref="OperationCanceledException"/> because the sender gave up records 499.
    /// </summary>
    /// <param name="responder">Returns the status code for a request.</param>
    /// <returns>This endpoint.</returns>
    public WebhookTestEndpoint RespondWith(Func<WebhookTestResponderArguments, ValueTask<int>> responder)
    {
        ArgumentNullException.ThrowIfNull(responder);
        return Change(s => s with { Responder = responder });
    }

    /// <summary>Holds every answer for <paramref name="delay"/> on the endpoint's clock (a fake clock holds it until the test advances it).</summary>
    /// <param name="delay">The delay; zero for none.</param>
    /// <returns>This endpoint.</returns>
    public WebhookTestEndpoint DelayAnswers(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return Change(s => s with { Delay = delay });
    }

    /// <summary>Goes back to answering every verified request 200 at once (the attempt counts are kept).</summary>
    /// <returns>This endpoint.</returns>
    public WebhookTestEndpoint ResetScript() => Change(_ => Script.Default);

    /// <summary>Completes once at least <paramref name="count"/> requests have been answered.</summary>
    /// <param name="count">How many.</param>
    /// <param name="cancellationToken">Ends the wait; pass a generous safety-net timeout.</param>
    /// <returns>A snapshot of the requests when the count was reached.</returns>
    public Task<IReadOnlyList<WebhookTestDelivery>> WaitForDeliveriesAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return WaitUntilAsync(d => d.Count >= count, cancellationToken);
    }

    /// <summary>
    /// Completes once <paramref name="condition"/> holds over the requests answered so far; it is checked now, when a
    /// request arrives and when one is answered (so it may read <see cref="Received"/> as well).
    /// </summary>
    /// <param name="condition">The condition, for example <c>d =&gt; d.Count(x =&gt; x.StatusCode == 200) == 3</c>; called under a lock, keep it short.</param>
    /// <param name="cancellationToken">Ends the wait; pass a generous safety-net timeout.</param>
    /// <returns>A snapshot of the requests when the condition held.</returns>
    public Task<IReadOnlyList<WebhookTestDelivery>> WaitUntilAsync(Func<IReadOnlyList<WebhookTestDelivery>, bool> condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        lock (_gate)
        {
            if (condition(_deliveries))
            {
                return Task.FromResult<IReadOnlyList<WebhookTestDelivery>>([.. _deliveries]);
            }

            var done = new TaskCompletionSource<IReadOnlyList<WebhookTestDelivery>>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void ThrowIfInvalid(HttpStatusCode statusCode, TimeSpan? retryAfter)
    {
        if ((int)statusCode is < 100 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "Use an HTTP status code from 100 to 599.");
        }

        if (retryAfter is { } value)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(retryAfter));
        }
    }

    private WebhookTestEndpoint Change(Func<Script, Script> change)
    {
        lock (_gate)
        {
            _script = change(_script);
        }

        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var body = await ReadBodyAsync(request, _options.MaxBodySize, context.RequestAborted).ConfigureAwait(false);
        StandardWebhookVerifier verifier;
        Script script;
        int attempt;
        var id = headers.GetValueOrDefault(StandardWebhookHeaders.Id);
        string path = request.Path;
        lock (_gate)
        {
            verifier = _pathVerifiers.GetValueOrDefault(path) ?? _verifier;
            script = _script;
            attempt = _attempts[(path, id ?? string.Empty)] = _attempts.GetValueOrDefault((path, id ?? string.Empty)) + 1;
            _received++;
            CheckWaiters();
        }

        var receivedAt = _time.GetUtcNow();
        var verification = body is null
            ? WebhookVerificationStatus.NoMatchingSignature
            : verifier.Verify(id, headers.GetValueOrDefault(StandardWebhookHeaders.Timestamp), headers.GetValueOrDefault(StandardWebhookHeaders.Signature), body).Status;
        var eventType = body is not null && WebhookEnvelope.TryRead(body, out var envelope) ? envelope.Type : null;

        // Refusals first (as a real receiver), then the first failures of each message, then the script.
        var (status, retryAfter, scripted) = body is null ? (StatusCodes.Status413PayloadTooLarge, (TimeSpan?)null, false)
            : verification != WebhookVerificationStatus.Valid && _options.RejectUnverified ? (StatusCodes.Status401Unauthorized, null, false)
            : attempt <= script.FailCount ? (script.FailStatus, script.FailRetryAfter, false)
            : (script.Status, script.RetryAfter, true);

        try
        {
            if (script.Delay > TimeSpan.Zero)
            {
                await Task.Delay(script.Delay, _time, context.RequestAborted).ConfigureAwait(false);
            }

            if (scripted && script.Responder is { } responder)
            {
                status = await responder(new WebhookTestResponderArguments(path, id, attempt, verification, context.RequestAborted)).ConfigureAwait(false);
                retryAfter = null;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Record(new WebhookTestDelivery(path, headers, body ?? [], verification, attempt, ClientClosedRequest, receivedAt, eventType));
            return;
        }

        Record(new WebhookTestDelivery(path, headers, body ?? [], verification, attempt, status, receivedAt, eventType));
        context.Response.StatusCode = status;
        if (retryAfter is { } after)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (status is >= 300 and < 400)
        {
            // A sender that follows redirects (it must not) shows up as a request to /redirected.
            context.Response.Headers.Location = new Uri(BaseAddress, "redirected").ToString();
        }
    }

    /// <summary>Reads the body up to the limit; <see langword="null"/> when it is larger.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private void Record(WebhookTestDelivery delivery)
    {
        lock (_gate)
        {
            _deliveries.Add(delivery);
            CheckWaiters();
        }
    }

    // Called under _gate.
    private void CheckWaiters()
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Condition(_deliveries))
            {
                _waiters[i].Done.TrySetResult([.. _deliveries]);
                _waiters.RemoveAt(i);
            }
        }
    }

    /// <summary>The scripted answers, replaced whole on each change.</summary>
    private sealed record Script(
        int FailCount, int FailStatus, TimeSpan? FailRetryAfter, int Status, TimeSpan? RetryAfter, TimeSpan Delay, Func<WebhookTestResponderArguments, ValueTask<int>>? Responder = null)
    {
        public static Script Default { get; } = new(0, StatusCodes.Status500InternalServerError, null, StatusCodes.Status200OK, null, TimeSpan.Zero);
    }
}
