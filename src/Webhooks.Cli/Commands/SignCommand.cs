using Webhooks.Testing;

namespace Webhooks.Cli.Commands;

/// <summary><c>webhooks sign</c>: the headers for a body, the signature alone on the last line.</summary>
internal sealed class SignCommand : Command
{
    public override string[] Options => ["secret", "id", "timestamp", "body-file", "scheme", "event"];

    public override string Help => $"""
        Usage: webhooks sign --secret S --id I --timestamp T --body-file F [--scheme {Schemes.Names}] [--event TYPE]

        Prints the headers a sender would send with the body ('name: value' lines), then the signature header value
        alone on the last line (for Standard Webhooks 'v1,<base64>'), so 'webhooks sign ... | tail -n 1' is the signature.

          --secret S      the secret (Standard Webhooks: whsec_<base64>; providers: the secret text)
          --id I          the message id (Standard Webhooks: required; GitHub, Shopify: a new id when omitted)
          --timestamp T   unix seconds (standard, stripe, slack); now when omitted
          --body-file F   the body, byte for byte; '-' reads standard input
          --scheme        {Schemes.Names}; standard by default
          --event TYPE    GitHub's X-GitHub-Event or Shopify's X-Shopify-Topic
        """;

    public override async Task<int> RunAsync(CommandLine line, Io io, CancellationToken cancellationToken)
    {
        var scheme = Schemes.Parse(line);
        var signer = Schemes.Signer(scheme, line.Require("secret"));
        var id = scheme == WebhookTestScheme.StandardWebhooks ? line.Require("id") : line.Get("id");
        var timestamp = line.UnixSeconds("timestamp");
        if (id is not null)
        {
            signer = scheme is WebhookTestScheme.Stripe or WebhookTestScheme.Slack
                ? throw new UsageException($"--id: {scheme} carries the id in the body; leave --id out.")
                : signer.WithMessageId(id);
        }

        if (timestamp is not null)
        {
            signer = scheme is WebhookTestScheme.GitHub or WebhookTestScheme.Shopify
                ? throw new UsageException($"--timestamp: {scheme} signs no timestamp; leave --timestamp out.")
                : signer.WithTimestamp(DateTimeOffset.FromUnixTimeSeconds(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (line.Get("event") is { } eventType)
        {
            signer = scheme is WebhookTestScheme.GitHub or WebhookTestScheme.Shopify
                ? signer.WithEventType(eventType)
                : throw new UsageException($"--event: only github and shopify send the event type in a header.");
        }

        var body = await line.BodyAsync("body-file", io.In).ConfigureAwait(false);
        var signature = signer.Sign(body);
        foreach (var (name, value) in signature.Headers)
        {
            await io.Out.WriteLineAsync($"{name}: {value}").ConfigureAwait(false);
        }

        await io.Out.WriteLineAsync(signature.Signature).ConfigureAwait(false);
        return Program.Ok;
    }
}
