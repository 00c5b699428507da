using System.Globalization;
using Microsoft.AspNetCore.Http;
using Webhooks.Core;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver.Schemes;

/// <summary>
/// Standard Webhooks (and Svix): the <c>webhook-*</c> headers, or the <c>svix-*</c> headers when none of those is
/// present. The body is an envelope naming the event type.
/// </summary>
internal sealed class StandardWebhooksScheme(WebhookSecret[] secrets, TimeSpan tolerance) : IWebhookSignatureScheme
{
    public WebhookSignatureResult Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body, WebhookReceiverOptions options, DateTimeOffset now)
    {
        var svix = !headers.ContainsKey(StandardWebhookHeaders.Id)
            && !headers.ContainsKey(StandardWebhookHeaders.Timestamp)
            && !headers.ContainsKey(StandardWebhookHeaders.Signature);

        if (!WebhookHeaders.TryGetSingle(headers, svix ? StandardWebhookHeaders.SvixSignature : StandardWebhookHeaders.Signature, out var signature)
            || !WebhookHeaders.TryGetSingle(headers, svix ? StandardWebhookHeaders.SvixTimestamp : StandardWebhookHeaders.Timestamp, out var timestamp))
        {
            return WebhookSignatureResult.Fail(WebhookVerificationStatus.MalformedHeader);
        }

        if (WebhookHeaders.ReadToken(headers, svix ? StandardWebhookHeaders.SvixId : StandardWebhookHeaders.Id, out var id) is { } failure)
        {
            return WebhookSignatureResult.Fail(failure);
        }

        var result = StandardWebhook.Verify(body, id, timestamp, signature, secrets, now, tolerance);
        if (!result.IsValid)
        {
            return WebhookSignatureResult.Fail(result.Status);
        }

        // Verify accepted the timestamp, so it is ASCII digits within the tolerance.
        var seconds = long.Parse(timestamp!, NumberStyles.None, CultureInfo.InvariantCulture);
        return WebhookSignatureResult.Success(id!, eventType: null, DateTimeOffset.FromUnixTimeSeconds(seconds), isEnvelope: true);
    }
}
