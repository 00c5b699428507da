using Microsoft.AspNetCore.Http;
using Webhooks.Core.Schemes;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver.Schemes;

/// <summary>GitHub: <c>X-Hub-Signature-256</c> over the body; the event in <c>X-GitHub-Event</c>, the id in <c>X-GitHub-Delivery</c>.</summary>
internal sealed class GitHubScheme(string[] secrets) : IWebhookSignatureScheme
{
    public WebhookSignatureResult Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body, WebhookReceiverOptions options, DateTimeOffset now)
    {
        if (WebhookHeaders.ReadProviderHeaders(
            headers, GitHubWebhookSignature.SignatureHeader, GitHubWebhookSignature.DeliveryHeader, GitHubWebhookSignature.EventHeader,
            out var signature, out var delivery, out var eventType) is { } failure)
        {
            return WebhookSignatureResult.Fail(failure);
        }

        var result = GitHubWebhookSignature.Verify(body, signature, secrets);
        return result.IsValid
            ? WebhookSignatureResult.Success(delivery!, eventType, timestamp: null, isEnvelope: false)
            : WebhookSignatureResult.Fail(result.Status);
    }
}
