using Microsoft.AspNetCore.Http;
using Webhooks.Core.Schemes;
using Webhooks.Core;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver.Schemes;

/// <summary>
/// Stripe: <c>Stripe-Signature</c> over <c>{t}.{body}</c>. Stripe has no id or type header: both come from the event
/// object in the body (<c>id</c>, <c>type</c>, <c>created</c>), and handlers receive the whole event.
/// </summary>
internal sealed class StripeScheme(string[] secrets, TimeSpan tolerance) : IWebhookSignatureScheme
{
    public WebhookSignatureResult Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body, WebhookReceiverOptions options, DateTimeOffset now)
    {
        if (!WebhookHeaders.TryGetSingle(headers, StripeWebhookSignature.SignatureHeader, out var signature))
        {
            return WebhookSignatureResult.Fail(WebhookVerificationStatus.MalformedHeader);
        }

        var result = StripeWebhookSignature.Verify(body, signature, secrets, now, tolerance);
        if (!result.IsValid)
        {
            return WebhookSignatureResult.Fail(result.Status);
        }

        var fields = new JsonFields.Stripe();
        JsonFields.TryVisit(body, ref fields, JsonFields.Stripe.Visitor);
        return WebhookSignatureResult.FromPayload(fields.Id, fields.Type, fields.Created is { } created ? DateTimeOffset.FromUnixTimeSeconds(created) : null);
    }
}
