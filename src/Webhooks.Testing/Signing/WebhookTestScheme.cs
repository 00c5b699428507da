namespace Webhooks.Testing;

/// <summary>The signature schemes <see cref="WebhookTestSigner"/> signs with.</summary>
public enum WebhookTestScheme
{
    /// <summary>Standard Webhooks (and Svix): <c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature: v1,&lt;base64&gt;</c>.</summary>
    StandardWebhooks = 0,

    /// <summary>GitHub: <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>, <c>X-GitHub-Event</c>, <c>X-GitHub-Delivery</c>.</summary>
    GitHub = 1,

    /// <summary>Stripe: <c>Stripe-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;</c>; the id and type are in the body.</summary>
    Stripe = 2,

    /// <summary>Shopify: <c>X-Shopify-Hmac-SHA256: &lt;base64&gt;</c>, <c>X-Shopify-Topic</c>, <c>X-Shopify-Webhook-Id</c>.</summary>
    Shopify = 3,

    /// <summary>Slack: <c>X-Slack-Signature: v0=&lt;hex&gt;</c>, <c>X-Slack-Request-Timestamp</c>; the id and type are in the body.</summary>
    Slack = 4,
}
