using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Webhooks.Core;
using Webhooks.Samples.Receiver;

namespace Webhooks.Samples.Tests;

/// <summary>The receiver sample verifies what it logs.</summary>
public sealed class ReceiverSampleTests
{
    [Theory]
    [InlineData(true, HttpStatusCode.OK)]
    [InlineData(false, HttpStatusCode.Unauthorized)]
    public async Task Receiver_SignedOrUnsignedEvent_AnswersAccordingly(bool signWithTheRightSecret, HttpStatusCode expected)
    {
        var secret = WebhookSecret.Generate();
        await using var app = ReceiverApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration["Webhooks:Receiver:Secret"] = secret.RevealEncoded();
        });
        await app.StartAsync();
        using var client = app.GetTestClient();

        var body = Encoding.UTF8.GetBytes("""{"type":"order.created","timestamp":"2026-01-01T00:00:00Z","data":{"orderId":7,"customer":"Ada","total":1.5}}""");
        var id = WebhookId.NewMessageId();
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var signer = signWithTheRightSecret ? secret : WebhookSecret.Generate();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhook.Sign(signer, id, timestamp, body));

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(expected);
    }
}
