namespace Webhooks.Receiver;

/// <summary>The built-in signature schemes a receiver can verify.</summary>
public enum WebhookReceiverScheme
{
    /// <summary>
    /// Standard Webhooks (and Svix): <c>webhook-id</c>, <c>webhook-timestamp</c> and <c>webhook-signature</c>
    /// (or the <c>svix-*</c> names), secrets in the <c>whsec_</c> form, a JSON envelope with the event type.
    /// </summary>
    StandardWebhooks = 0,

    /// <summary>GitHub: <c>X-Hub-Signature-256</c>, the event in <c>X-GitHub-Event</c>, the id in <c>X-GitHub-Delivery</c>.</summary>
    GitHub,

    /// <summary>Stripe: <c>Stripe-Signature</c>; the event id and type come from the event object in the body.</summary>
    Stripe,

    /// <summary>Shopify: <c>X-Shopify-Hmac-SHA256</c>, the topic in <c>X-Shopify-Topic</c>, the id in <c>X-Shopify-Webhook-Id</c>.</summary>
    Shopify,

    /// <summary>Slack (Events API): <c>X-Slack-Signature</c> (<c>v0</c>) and <c>X-Slack-Request-Timestamp</c>.</summary>
    Slack,
}
