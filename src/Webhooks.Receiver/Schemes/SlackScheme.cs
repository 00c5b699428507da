using System.Globalization;
using Microsoft.AspNetCore.Http;
using Webhooks.Core.Schemes;
using Webhooks.Core;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver.Schemes;

/// <summary>
/// Slack Events API: <c>X-Slack-Signature</c> (<c>v0=</c>) over <c>v0:{timestamp}:{body}</c>. Slack has no id header:
/// the id is the body's <c>event_id</c>, which Slack keeps on its retries; a payload without one (such as
/// <c>url_verification</c>) is keyed by its signature, which only catches byte-identical replays. The event type is the
/// inner <c>event.type</c> of an <c>event_callback</c>, else the outer <c>type</c>; handlers receive the whole body.
/// Form-encoded requests (slash commands, interactivity) are read by <see cref="SlackForm"/>.
/// </summary>
internal sealed class SlackScheme(string[] secrets, TimeSpan tolerance) : IWebhookSignatureScheme
{
    /// <summary>The payload type Slack sends to check an endpoint; answered with its challenge, without handlers.</summary>
    public const string UrlVerification = "url_verification";

    public WebhookSignatureResult Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body, WebhookReceiverOptions options, DateTimeOffset now)
    {
        if (!WebhookHeaders.TryGetSingle(headers, SlackWebhookSignature.SignatureHeader, out var signature)
            || !WebhookHeaders.TryGetSingle(headers, SlackWebhookSignature.TimestampHeader, out var timestamp))
        {
            return WebhookSignatureResult.Fail(WebhookVerificationStatus.MalformedHeader);
        }

        var result = SlackWebhookSignature.Verify(body, timestamp, signature, secrets, now, tolerance);
        if (!result.IsValid)
        {
            return WebhookSignatureResult.Fail(result.Status);
        }

        DateTimeOffset? sent = long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        var replayKey = "slack:" + timestamp + ":" + signature;
        if (FormBody.IsForm(body))
        {
            return SlackForm.Read(body, replayKey, sent);
        }

        var fields = new JsonFields.Slack();
        JsonFields.TryVisit(body, ref fields, JsonFields.Slack.Visitor);
        var type = fields.Type == "event_callback" && fields.EventType is not null ? fields.EventType : fields.Type;
        return WebhookSignatureResult.FromPayload(fields.EventId ?? replayKey, type, sent);
    }

    /// <summary>Reads the <c>challenge</c> of a <c>url_verification</c> payload.</summary>
    public static string? ReadChallenge(ReadOnlySpan<byte> body)
    {
        var fields = new JsonFields.Slack();
        return JsonFields.TryVisit(body, ref fields, JsonFields.Slack.Visitor) ? fields.Challenge : null;
    }
}
