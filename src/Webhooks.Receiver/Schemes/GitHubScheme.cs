using Microsoft.AspNetCore.Http;
using Webhooks.Core.Schemes;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver.Schemes;

/// <summary>
/// GitHub: <c>X-Hub-Signature-256</c> over the body; the event in <c>X-GitHub-Event</c>, the id in <c>X-GitHub-Delivery</c>.
/// The payload is the body, or the <c>payload</c> field of a form-encoded body.
/// </summary>
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

        var verification = GitHubWebhookSignature.Verify(body, signature, secrets);
        if (!verification.IsValid)
        {
            return WebhookSignatureResult.Fail(verification.Status);
        }

        // A webhook set to "application/x-www-form-urlencoded" carries its JSON in the signed form's "payload" field.
        var result = WebhookSignatureResult.Success(delivery!, eventType, timestamp: null, isEnvelope: false);
        return FormBody.IsForm(body) && FormBody.Payload(FormBody.Parse(body)) is { } payload ? result with { Payload = payload } : result;
    }
}
