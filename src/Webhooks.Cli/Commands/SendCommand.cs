using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Webhooks.Core.Events;
using Webhooks.Testing;

namespace Webhooks.Cli.Commands;

/// <summary><c>webhooks send</c>: sign a body, POST it, print status, latency and the start of the response.</summary>
internal sealed class SendCommand : Command
{
    /// <summary>The most response text printed.</summary>
    public const int ExcerptLength = 2048;

    public override string[] Options => ["secret", "event", "body-file", "scheme", "id", "timeout"];

    public override string[] Flags => ["raw"];

    public override int MaxPositionals => 1;

    public override string Help => $"""
        Usage: webhooks send URL --secret S --event TYPE --body-file F [--scheme {Schemes.Names}] [--id I] [--raw] [--timeout SECONDS]

        Signs the body and POSTs it to URL (redirects are not followed), then prints the status, the latency and the
        start of the response. Exit code 0 for a 2xx answer, 1 for any other answer or a connection error.

          URL             http:// or https:// address of the receiver
          --secret S      the secret (Standard Webhooks: whsec_<base64>; providers: the secret text)
          --event TYPE    the event type: the envelope's "type" (standard), X-GitHub-Event, X-Shopify-Topic;
                          required for those three, unused by stripe and slack (their type is in the body)
          --body-file F   JSON payload; for standard it becomes the envelope's "data" unless --raw; '-' reads stdin
          --raw           send the body file as it is (standard: it is already an envelope)
          --id I          the message id; a new one when omitted
          --timeout S     seconds to wait for the answer; 30 by default
          --scheme        {Schemes.Names}; standard by default
        """;

    public override async Task<int> RunAsync(CommandLine line, Io io, CancellationToken cancellationToken)
    {
        if (line.Positionals.Count == 0)
        {
            throw new UsageException("URL is required.");
        }

        if (!Uri.TryCreate(line.Positionals[0], UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"URL must be an absolute http:// or https:// address, not '{line.Positionals[0]}'.");
        }

        var scheme = Schemes.Parse(line);
        var signer = Schemes.Signer(scheme, line.Require("secret"));
        var eventType = scheme is WebhookTestScheme.Stripe or WebhookTestScheme.Slack ? line.Get("event") : line.Require("event");
        if (line.Get("id") is { } id)
        {
            signer = scheme is WebhookTestScheme.Stripe or WebhookTestScheme.Slack
                ? throw new UsageException($"--id: {scheme} carries the id in the body; leave --id out.")
                : signer.WithMessageId(id);
        }

        if (scheme is WebhookTestScheme.GitHub or WebhookTestScheme.Shopify)
        {
            signer = signer.WithEventType(eventType!);
        }

        var timeout = TimeSpan.FromSeconds(line.Int("timeout", 30, 1, 3600));
        var body = await line.BodyAsync("body-file", io.In).ConfigureAwait(false);
        if (scheme == WebhookTestScheme.StandardWebhooks && !line.Has("raw"))
        {
            body = Envelope(eventType!, body);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var signature = signer.Sign(body);
        signature.ApplyTo(request);

        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { Timeout = timeout };
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var excerpt = await ExcerptAsync(response, cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            await io.Out.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase} in {elapsed.TotalMilliseconds:0} ms").ConfigureAwait(false);
            if (signature.MessageId is { } messageId)
            {
                await io.Out.WriteLineAsync($"id: {messageId}").ConfigureAwait(false);
            }

            if (excerpt.Length > 0)
            {
                await io.Out.WriteLineAsync(excerpt).ConfigureAwait(false);
            }

            return response.IsSuccessStatusCode ? Program.Ok : Program.Failed;
        }
        catch (HttpRequestException ex)
        {
            await io.Err.WriteLineAsync($"webhooks send: {url} could not be reached: {ex.Message}").ConfigureAwait(false);
            return Program.Failed;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await io.Err.WriteLineAsync($"webhooks send: no answer from {url} within {timeout.TotalSeconds:0} s (--timeout).").ConfigureAwait(false);
            return Program.Failed;
        }
    }

    /// <summary>Wraps a JSON payload in the Standard Webhooks envelope our sender sends.</summary>
    private static byte[] Envelope(string eventType, byte[] body)
    {
        if (!WebhookEventType.IsValid(eventType))
        {
            throw new UsageException($"--event must be full-stop separated segments of letters, digits and '_' (such as order.created), not '{eventType}'.");
        }

        JsonDocument data;
        try
        {
            data = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--body-file is not JSON ({ex.Message}); fix it, or pass --raw to send it as it is.");
        }

        using var document = data;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", eventType);
            writer.WriteString("timestamp", TimeProvider.System.GetUtcNow());
            writer.WritePropertyName("data");
            document.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads at most <see cref="ExcerptLength"/> characters of the response, never the whole of a large one.</summary>
    private static async Task<string> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[ExcerptLength * 4];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
        {
            read += n;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return text.Length > ExcerptLength ? text[..ExcerptLength] + " ..." : text;
    }
}
