using System.Globalization;
using Microsoft.AspNetCore.Http;
using Webhooks.Core.Schemes;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver.Schemes;

/// <summary>Shopify: <c>X-Shopify-Hmac-SHA256</c> over the body; the topic and webhook id in headers.</summary>
internal sealed class ShopifyScheme(string[] secrets) : IWebhookSignatureScheme
{
    private const string TriggeredAtHeader = "X-Shopify-Triggered-At";

    public WebhookSignatureResult Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body, WebhookReceiverOptions options, DateTimeOffset now)
    {
        if (WebhookHeaders.ReadProviderHeaders(
            headers, ShopifyWebhookSignature.HmacHeader, ShopifyWebhookSignature.WebhookIdHeader, ShopifyWebhookSignature.TopicHeader,
            out var hmac, out var id, out var topic) is { } failure)
        {
            return WebhookSignatureResult.Fail(failure);
        }

        var result = ShopifyWebhookSignature.Verify(body, hmac, secrets);
        if (!result.IsValid)
        {
            return WebhookSignatureResult.Fail(result.Status);
        }

        DateTimeOffset? triggeredAt = WebhookHeaders.TryGetSingle(headers, TriggeredAtHeader, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
        return WebhookSignatureResult.Success(id!, topic, triggeredAt, isEnvelope: false);
    }
}
