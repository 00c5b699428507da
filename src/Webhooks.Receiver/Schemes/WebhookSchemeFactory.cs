using Webhooks.Core;

namespace Webhooks.Receiver.Schemes;

/// <summary>Builds the scheme of a receiver from its (validated) options.</summary>
internal static class WebhookSchemeFactory
{
    public static IWebhookSignatureScheme Create(WebhookReceiverOptions options)
    {
        if (options.CustomScheme is { } custom)
        {
            return custom;
        }

        var secrets = options.Secrets.ToArray();
        return options.Scheme switch
        {
            WebhookReceiverScheme.GitHub => new GitHubScheme(secrets),
            WebhookReceiverScheme.Stripe => new StripeScheme(secrets, options.Tolerance),
            WebhookReceiverScheme.Shopify => new ShopifyScheme(secrets),
            WebhookReceiverScheme.Slack => new SlackScheme(secrets, options.Tolerance),
            _ => new StandardWebhooksScheme(Array.ConvertAll(secrets, WebhookSecret.Parse), options.Tolerance),
        };
    }
}
