using Webhooks.Testing;

namespace Webhooks.Cli.Commands;

/// <summary><c>webhooks verify</c>: exit 0 when the signature is valid, 1 (and why) when not.</summary>
internal sealed class VerifyCommand : Command
{
    public override string[] Options => ["secret", "id", "timestamp", "signature", "body-file", "now", "tolerance", "scheme"];

    public override string Help => $"""
        Usage: webhooks verify --secret S --id I --timestamp T --signature H --body-file F [--now T] [--scheme {Schemes.Names}]

        Verifies a signature as a receiver would. Exit code 0 when valid, 1 when not (the reason is printed),
        2 on a usage error.

          --secret S      the secret (Standard Webhooks: whsec_<base64>; providers: the secret text)
          --id I          the message id (Standard Webhooks only)
          --timestamp T   the signed timestamp header, unix seconds (standard, slack)
          --signature H   the signature header value (several space-separated v1 tokens are fine)
          --body-file F   the body, byte for byte; '-' reads standard input
          --now T         check the timestamp at this time (unix seconds or ISO 8601) instead of the clock
          --tolerance S   seconds the timestamp may be off, either way; 300 by default
          --scheme        {Schemes.Names}; standard by default
        """;

    public override async Task<int> RunAsync(CommandLine line, Io io, CancellationToken cancellationToken)
    {
        var scheme = Schemes.Parse(line);
        var secret = line.Require("secret");
        Schemes.Signer(scheme, secret);
        var id = scheme == WebhookTestScheme.StandardWebhooks ? line.Require("id") : line.Get("id");
        var timestamp = scheme is WebhookTestScheme.StandardWebhooks or WebhookTestScheme.Slack ? line.Require("timestamp") : line.Get("timestamp");
        var signature = line.Require("signature");
        var now = line.Time("now") ?? TimeProvider.System.GetUtcNow();
        var tolerance = TimeSpan.FromSeconds(line.Int("tolerance", 300, 0, 365 * 24 * 3600));
        var body = await line.BodyAsync("body-file", io.In).ConfigureAwait(false);

        var status = Schemes.Verify(scheme, secret, id, timestamp, signature, body, now, tolerance);
        if (status == Core.WebhookVerificationStatus.Valid)
        {
            await io.Out.WriteLineAsync("valid").ConfigureAwait(false);
            return Program.Ok;
        }

        await io.Out.WriteLineAsync($"invalid: {Schemes.Describe(status, timestamp, now, tolerance)}").ConfigureAwait(false);
        return Program.Failed;
    }
}
