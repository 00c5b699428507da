using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Receiver.Tests.Schemes;

public sealed class StandardWebhooksSchemeTests
{
    // The Standard Webhooks specification's example: secret, id, timestamp, body and the expected signature.
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = """{"test": 2432232314}""";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public async Task Post_SpecificationExample_VerifiesAndReachesTheFallback()
    {
        await using var host = await StartAsync(DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp));

        var response = await host.Client.SendAsync(ProviderRequests.Post("/webhooks", SpecBody, "application/json",
            ("webhook-id", SpecId), ("webhook-timestamp", SpecTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("webhook-signature", SpecSignature)));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var call = host.Calls.All.Should().ContainSingle().Subject;
        call.Handler.Should().Be("fallback", "the body names no event type");
        call.MessageId.Should().Be(SpecId);
        ((JsonElement)call.Data!).GetProperty("test").GetInt64().Should().Be(2432232314);
    }

    [Fact]
    public async Task Post_SpecificationExampleSignatureAmongOthers_Verifies()
    {
        await using var host = await StartAsync(DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp));

        var response = await host.Client.SendAsync(ProviderRequests.Post("/webhooks", SpecBody, "application/json",
            ("webhook-id", SpecId), ("webhook-timestamp", SpecTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("webhook-signature", "v1a,ZmFrZQ== v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v2,xyz " + SpecSignature)));

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the last of several tokens matches (rotation)");
    }

    [Fact]
    public async Task Post_SignedByTheReferenceLibrary_ReachesTypedHandler()
    {
        await using var host = await StartAsync(ReceiverHost.Start);
        var reference = new StandardWebhooks.StandardWebhook(StandardSigner.EncodedSecret);
        var envelope = new { type = "order.created", timestamp = ReceiverHost.Start, data = new { orderId = 77, customer = "grace" } };
        var content = reference.MakeHttpContent(envelope, "msg_reference", ReceiverHost.Start, new JsonSerializerOptions(JsonSerializerDefaults.Web));

        var response = await host.Client.PostAsync(new Uri("/webhooks", UriKind.Relative), content);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.All.Should().ContainSingle().Which.Data.Should().Be(new OrderCreated(77, "grace"));
    }

    [Fact]
    public async Task Post_FlatSvixStylePayloadWithoutData_HandlerGetsTheWholeBody()
    {
        await using var host = await StartAsync(ReceiverHost.Start);
        var body = Encoding.UTF8.GetBytes("""{"type":"order.created","orderId":5,"customer":"linus"}""");

        var response = await host.Client.SendAsync(StandardSigner.Request(body, id: "msg_flat"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.All.Should().ContainSingle().Which.Data.Should().Be(new OrderCreated(5, "linus"));
    }

    private static Task<ReceiverHost> StartAsync(DateTimeOffset now) =>
        ReceiverHost.StartAsync(
            services => services.AddWebhookReceiver(o => o.UseStandardWebhooks(StandardSigner.EncodedSecret))
                .AddHandler<OrderCreated, RecordingOrderHandler>()
                .AddFallbackHandler((ctx, _) =>
                {
                    ctx.Services.GetRequiredService<HandlerCalls>().Add("fallback", ctx, ctx.Data);
                    return Task.CompletedTask;
                }),
            now: now);
}
