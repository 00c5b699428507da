using Microsoft.AspNetCore.Http;
using Webhooks.Core;
using Webhooks.Receiver.Schemes;

namespace Webhooks.Receiver.Tests;

/// <summary>
/// A custom scheme for pipeline tests: <c>x-test-signature: ok</c> is genuine, the id is <c>x-test-id</c> and the type
/// <c>x-test-type</c>; the whole body is the payload.
/// </summary>
internal sealed class TestScheme : IWebhookSignatureScheme
{
    public const string SignatureHeader = "x-test-signature";
    public const string IdHeader = "x-test-id";
    public const string TypeHeader = "x-test-type";

    public WebhookSignatureResult Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body, WebhookReceiverOptions options, DateTimeOffset now)
    {
        string? signature = headers[SignatureHeader];
        string? id = headers[IdHeader];
        string? type = headers[TypeHeader];
        if (signature is null || id is null || type is null)
        {
            return WebhookSignatureResult.Fail(WebhookVerificationStatus.MissingHeader);
        }

        return signature == "ok"
            ? WebhookSignatureResult.Success(id, type, now, isEnvelope: false)
            : WebhookSignatureResult.Fail(WebhookVerificationStatus.NoMatchingSignature);
    }

    public static HttpRequestMessage Request(string id, string type, string json, string signature = "ok")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(IdHeader, id);
        request.Headers.Add(TypeHeader, type);
        request.Headers.Add(SignatureHeader, signature);
        return request;
    }
}
