using System.Net;
using System.Text;
using System.Text.Json.Serialization;
using Webhooks.Core.Schemes;

namespace Webhooks.Receiver.Tests.Schemes;

public sealed class ShopifySchemeTests
{
    private const string Secret = "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";
    private const string Order = """{"id":820982911946154508,"email":"jon@example.com","total_price":"403.00","currency":"USD"}""";

    [Fact]
    public async Task Post_ComputedShopifySignature_ReachesHandler()
    {
        await using var host = await StartAsync();

        var response = await host.Client.SendAsync(Request(ProviderRequests.HmacBase64(Secret, Order), "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var call = host.Calls.All.Should().ContainSingle().Subject;
        call.EventType.Should().Be("orders/create");
        call.MessageId.Should().Be("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
        call.Timestamp.Should().Be(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        call.Data.Should().Be(new ShopifyOrder(820982911946154508, "jon@example.com", "403.00"));
    }

    [Fact]
    public async Task Post_SignedByOurShopifySigner_Verifies()
    {
        await using var host = await StartAsync();

        var response = await host.Client.SendAsync(Request(ShopifyWebhookSignature.Sign(Secret, Encoding.UTF8.GetBytes(Order)), "w-2"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Post_SameWebhookIdTwice_HandledOnce()
    {
        await using var host = await StartAsync();

        await host.Client.SendAsync(Request(ProviderRequests.HmacBase64(Secret, Order), "w-1"));
        var repeat = await host.Client.SendAsync(Request(ProviderRequests.HmacBase64(Secret, Order), "w-1"));

        repeat.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.Count.Should().Be(1);
    }

    [Fact]
    public async Task Post_WrongSecret_401()
    {
        await using var host = await StartAsync();

        var response = await host.Client.SendAsync(Request(ProviderRequests.HmacBase64("other", Order), "w-1"));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        host.Calls.Count.Should().Be(0);
    }

    private static HttpRequestMessage Request(string hmac, string webhookId) =>
        ProviderRequests.Post("/hooks/shopify", Order, "application/json",
            ("X-Shopify-Hmac-SHA256", hmac), ("X-Shopify-Topic", "orders/create"), ("X-Shopify-Webhook-Id", webhookId),
            ("X-Shopify-Triggered-At", "2026-01-01T00:00:00.000000Z"), ("X-Shopify-Shop-Domain", "example.myshopify.com"));

    private static Task<ReceiverHost> StartAsync() =>
        ReceiverHost.StartAsync(
            services => services.AddWebhookReceiver("shopify", o => o.UseShopify(Secret)).AddHandler<ShopifyOrder>("orders/create", (ctx, _) =>
            {
                ((HandlerCalls)ctx.Services.GetService(typeof(HandlerCalls))!).Add("shopify", ctx, ctx.Data);
                return Task.CompletedTask;
            }),
            app => app.MapWebhookReceiver("/hooks/shopify", "shopify"));

    public sealed record ShopifyOrder(long Id, string Email, [property: JsonPropertyName("total_price")] string TotalPrice);
}
