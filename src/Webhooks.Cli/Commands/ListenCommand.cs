using System.Diagnostics;
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
using Webhooks.Testing;

namespace Webhooks.Cli.Commands;

/// <summary>
/// <c>webhooks listen</c>: a local receiver that prints each request (verified or why not, type, id, pretty JSON) and
/// optionally forwards it, answering the sender with the forward's answer.
/// </summary>
internal sealed class ListenCommand : Command
{
    /// <summary>The largest body accepted (a larger one is answered 413): the receiver's default limit.</summary>
    public const int MaxBodySize = 1024 * 1024;

    private static readonly string[] HopByHop = ["Host", "Content-Length", "Connection", "Transfer-Encoding", "Keep-Alive", "Upgrade", "Expect"];

    public override string[] Options => ["port", "host", "secret", "scheme", "forward-to", "tolerance"];

    public override string Help => $"""
        Usage: webhooks listen --port P [--secret S] [--scheme {Schemes.Names}] [--forward-to URL] [--host ADDRESS]

        Runs a receiver on 127.0.0.1 that accepts POSTs on any path and prints each one: verified or why not, event
        type, id, and the body as indented JSON. With --forward-to, a request that verified (or every request, without
        --secret) is sent on to URL with the same headers and body, and the sender gets the forward's answer.
        A request that fails verification is answered 401 and not forwarded. Stop with Ctrl+C.

          --port P          the port; 0 picks a free one (printed)
          --secret S        verify with this secret; without it nothing is verified and everything is accepted
          --scheme          {Schemes.Names}; standard by default
          --forward-to URL  an http:// or https:// address to forward to, such as your app's local receiver
          --host ADDRESS    the address to listen on; 127.0.0.1 by default (anything else exposes it to the network)
          --tolerance S     seconds a timestamp may be off, either way; 300 by default
        """;

    public override async Task<int> RunAsync(CommandLine line, Io io, CancellationToken cancellationToken)
    {
        var port = line.Int("port", -1, 0, IPEndPoint.MaxPort);
        if (port < 0)
        {
            throw new UsageException("--port is required (0 picks a free port).");
        }

        var host = line.Get("host") ?? "127.0.0.1";
        if (!IPAddress.TryParse(host, out var address))
        {
            throw new UsageException($"--host must be an IP address such as 127.0.0.1, not '{host}'.");
        }

        var scheme = Schemes.Parse(line);
        var secret = line.Get("secret");
        if (secret is not null)
        {
            Schemes.Signer(scheme, secret);
        }

        Uri? forwardTo = null;
        if (line.Get("forward-to") is { } forward
            && (!Uri.TryCreate(forward, UriKind.Absolute, out forwardTo) || (forwardTo.Scheme != Uri.UriSchemeHttp && forwardTo.Scheme != Uri.UriSchemeHttps)))
        {
            throw new UsageException($"--forward-to must be an absolute http:// or https:// address, not '{forward}'.");
        }

        var tolerance = TimeSpan.FromSeconds(line.Int("tolerance", 300, 0, 365 * 24 * 3600));
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var printer = new Printer(io.Out);
        var listener = new Listener(scheme, secret, tolerance, forwardTo, client, printer);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxBodySize;
            k.Listen(address, port);
        });
        await using var app = builder.Build();
        app.Run(listener.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await io.Err.WriteLineAsync($"webhooks listen: cannot listen on {host}:{port}: {ex.Message}").ConfigureAwait(false);
            return Program.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Program.Ok;
        }

        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        printer.Line($"Listening on {url} ({(secret is null ? "not verifying: no --secret" : "verifying " + scheme)}{(forwardTo is null ? string.Empty : ", forwarding to " + forwardTo)}). Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop.
        }

        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        printer.Line("Stopped.");
        return Program.Ok;
    }

    /// <summary>Writes whole blocks, one request at a time.</summary>
    private sealed class Printer(TextWriter writer)
    {
        private readonly object _gate = new();

        public void Line(string text)
        {
            lock (_gate)
            {
                writer.WriteLine(text);
                writer.Flush();
            }
        }
    }

    private sealed class Listener(WebhookTestScheme scheme, string? secret, TimeSpan tolerance, Uri? forwardTo, HttpClient client, Printer printer)
    {
        public async Task HandleAsync(HttpContext context)
        {
            var request = context.Request;
            if (!HttpMethods.IsPost(request.Method))
            {
                printer.Line($"{request.Method} {request.Path}: only POST is accepted (405)");
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
            }

            byte[] body;
            try
            {
                using var buffer = new MemoryStream();
                await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
                body = buffer.ToArray();
            }
            catch (BadHttpRequestException)
            {
                printer.Line($"POST {request.Path}: body over {MaxBodySize} bytes (413)");
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            string? Header(string name) => request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
            var (type, id) = Schemes.Describe(scheme, Header, body);
            var names = Schemes.HeaderNames(scheme);
            var now = TimeProvider.System.GetUtcNow();
            var timestamp = names.Timestamp is null ? null : Header(names.Timestamp);
            var status = secret is null ? (WebhookVerificationStatus?)null
                : Schemes.Verify(scheme, secret, names.Id is null ? null : Header(names.Id), timestamp, Header(names.Signature), body, now, tolerance);

            var verdict = status switch
            {
                null => "not verified (no --secret)",
                WebhookVerificationStatus.Valid => "verified",
                { } failed => "NOT verified: " + Schemes.Describe(failed, timestamp, now, tolerance),
            };
            var text = Schemes.Pretty(body) ?? (body.Length == 0 ? "(empty body)" : System.Text.Encoding.UTF8.GetString(body));
            var block = $"""
                --- POST {request.Path} at {now.ToString("u", CultureInfo.InvariantCulture)}: {verdict}
                type: {type ?? "(none)"}  id: {id ?? "(none)"}  {body.Length} bytes
                {text}
                """;

            if (status is { } s && s != WebhookVerificationStatus.Valid)
            {
                printer.Line(block + Environment.NewLine + "answered 401");
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            if (forwardTo is null)
            {
                printer.Line(block + Environment.NewLine + "answered 200");
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
            }

            var (forwarded, note) = await ForwardAsync(request, body, context.RequestAborted).ConfigureAwait(false);
            printer.Line(block + Environment.NewLine + note);
            context.Response.StatusCode = forwarded.Status;
            if (forwarded.Body.Length > 0)
            {
                context.Response.ContentType = forwarded.ContentType;
                await context.Response.Body.WriteAsync(forwarded.Body, context.RequestAborted).ConfigureAwait(false);
            }
        }

        private async Task<((int Status, byte[] Body, string? ContentType) Answer, string Note)> ForwardAsync(HttpRequest request, byte[] body, CancellationToken cancellationToken)
        {
            using var forward = new HttpRequestMessage(HttpMethod.Post, forwardTo) { Content = new ByteArrayContent(body) };
            foreach (var (name, values) in request.Headers)
            {
                if (Array.Exists(HopByHop, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                {
                    forward.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.SendAsync(forward, cancellationToken).ConfigureAwait(false);
                var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                var elapsed = Stopwatch.GetElapsedTime(started);
                return (((int)response.StatusCode, answer.Length > MaxBodySize ? answer[..MaxBodySize] : answer, response.Content.Headers.ContentType?.ToString()),
                    $"forwarded to {forwardTo}: {(int)response.StatusCode} {response.ReasonPhrase} in {elapsed.TotalMilliseconds:0} ms");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return ((StatusCodes.Status502BadGateway, [], null), $"forward to {forwardTo} failed: {ex.Message} (answered 502)");
            }
        }
    }
}
