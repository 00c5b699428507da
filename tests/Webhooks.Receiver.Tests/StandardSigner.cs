using Microsoft.AspNetCore.Http;
using Webhooks.Core;

namespace Webhooks.Receiver.Tests;

/// <summary>Signs test requests the way our sender does (Standard Webhooks v1).</summary>
internal static class StandardSigner
{
    /// <summary>The secret of the Standard Webhooks specification's example.</summary>
    public const string EncodedSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public static WebhookSecret Secret { get; } = WebhookSecret.Parse(EncodedSecret);

    public static long Now => ReceiverHost.Start.ToUnixTimeSeconds();

    /// <summary>Sets a signed POST on the server context: headers, body and declared length.</summary>
    public static void Sign(HttpContext context, byte[] body, string id = "msg_1", long? timestamp = null, WebhookSecret? secret = null, string prefix = "webhook")
    {
        var ts = timestamp ?? Now;
        context.Request.Headers[prefix + "-id"] = id;
        context.Request.Headers[prefix + "-timestamp"] = ts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Request.Headers[prefix + "-signature"] = StandardWebhook.Sign(secret ?? Secret, id, ts, body);
        context.Request.ContentType = "application/json";
        SetBody(context, body);
    }

    public static void SetBody(HttpContext context, byte[] body)
    {
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
    }

    /// <summary>A signed <see cref="HttpRequestMessage"/> for the client.</summary>
    public static HttpRequestMessage Request(byte[] body, string id = "msg_1", long? timestamp = null, string path = "/webhooks")
    {
        var ts = timestamp ?? Now;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(StandardWebhookHeaders.Id, id);
        request.Headers.Add(StandardWebhookHeaders.Timestamp, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhookHeaders.Signature, StandardWebhook.Sign(Secret, id, ts, body));
        return request;
    }
}
