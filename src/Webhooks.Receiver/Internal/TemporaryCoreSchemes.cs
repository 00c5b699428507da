// TEMPORARY: stand-ins for the provider schemes that another helper is adding to Webhooks.Core/Schemes.
// Delete this file when merging main (it then clashes with the real types).
using Webhooks.Core.Signatures;

namespace Webhooks.Core.Schemes;

internal static class GitHubWebhookSignature
{
    public const string SignatureHeader = "X-Hub-Signature-256", EventHeader = "X-GitHub-Event", DeliveryHeader = "X-GitHub-Delivery";

    public static string Sign(string secret, ReadOnlySpan<byte> body) => throw new NotImplementedException();

    public static WebhookVerificationResult Verify(ReadOnlySpan<byte> body, string? signatureHeader, ReadOnlySpan<string> secrets) => throw new NotImplementedException();
}

internal static class StripeWebhookSignature
{
    public const string SignatureHeader = "Stripe-Signature";

    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(300);

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body) => throw new NotImplementedException();

    public static WebhookVerificationResult Verify(ReadOnlySpan<byte> body, string? signatureHeader, ReadOnlySpan<string> secrets, DateTimeOffset now, TimeSpan? tolerance) => throw new NotImplementedException();
}

internal static class ShopifyWebhookSignature
{
    public const string HmacHeader = "X-Shopify-Hmac-SHA256", TopicHeader = "X-Shopify-Topic", WebhookIdHeader = "X-Shopify-Webhook-Id";

    public static string Sign(string secret, ReadOnlySpan<byte> body) => throw new NotImplementedException();

    public static WebhookVerificationResult Verify(ReadOnlySpan<byte> body, string? hmacHeader, ReadOnlySpan<string> secrets) => throw new NotImplementedException();
}

internal static class SlackWebhookSignature
{
    public const string SignatureHeader = "X-Slack-Signature", TimestampHeader = "X-Slack-Request-Timestamp";

    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body) => throw new NotImplementedException();

    public static WebhookVerificationResult Verify(ReadOnlySpan<byte> body, string? timestamp, string? signatureHeader, ReadOnlySpan<string> secrets, DateTimeOffset now, TimeSpan? tolerance) => throw new NotImplementedException();
}
