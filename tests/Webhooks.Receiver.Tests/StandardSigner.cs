using Microsoft.AspNetCore.Http;
using Webhooks.Core;
using Webhooks.Testing;

namespace Webhooks.Receiver.Tests;

/// <summary>
/// Signs test requests the way our sender does (Standard Webhooks v1), with Webhooks.Testing's
/// <see cref="WebhookTestSigner"/>: only the shapes these tests need (a server-side context, the Svix header names) live here.
/// </summary>
internal static class StandardSigner
{
    /// <summary>The secret of the Standard Webhooks specification's example.</summary>
    public const string EncodedSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public static WebhookSecret Secret { get; } = WebhookSecret.Parse(EncodedSecret);

    public static long Now => ReceiverHost.Start.ToUnixTimeSeconds();

    /// <summary>Sets a signed POST on the server context: headers (named <c>{prefix}-id</c> and so on), body and declared length.</summary>
    public static void Sign(HttpContext context, byte[] body, string id = "msg_1", long? timestamp = null, WebhookSecret? secret = null, string prefix = "webhook")
    {
        var signature = Signer(id, timestamp, secret).Sign(body);
        foreach (var (name, value) in signature.Headers)
        {
            context.Request.Headers[prefix + name["webhook".Length..]] = value;
        }

        context.Request.ContentType = "application/json";
        SetBody(context, body);
    }

    public static void SetBody(HttpContext context, byte[] body)
    {
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
    }

    /// <summary>A signed <see cref="HttpRequestMessage"/> for the client.</summary>
    public static HttpRequestMessage Request(byte[] body, string id = "msg_1", long? timestamp = null, string path = "/webhooks") =>
        WebhookTestRequest.Create(path, body, Signer(id, timestamp, null));

    private static WebhookTestSigner Signer(string id, long? timestamp, WebhookSecret? secret) =>
        WebhookTestSigner.StandardWebhooks(secret ?? Secret).WithMessageId(id).WithTimestamp(DateTimeOffset.FromUnixTimeSeconds(timestamp ?? Now));
}
