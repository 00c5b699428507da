using System.Net;
using System.Text;
using System.Text.Json;
using Webhooks.Core.Schemes;

namespace Webhooks.Receiver.Tests.Schemes;

public sealed class StripeSchemeTests
{
    private const string Secret = "whsec_7eb1b0d3c2f14e4c9a3b5d2e8f6a1c0b";

    private static readonly string Event = """
        {
          "id": "evt_1NG8Du2eZvKYlo2CUI79vXWy",
          "object": "event",
          "api_version": "2019-02-19",
          "created": 1686089970,
          "data": { "object": { "id": "seti_1NG8Du2eZvKYlo2C9XMqbR0x", "object": "setup_intent", "status": "requires_confirmation" } },
          "livemode": false,
          "pending_webhooks": 0,
          "request": { "id": null, "idempotency_key": null },
          "type": "setup_intent.created"
        }
        """;

    [Fact]
    public async Task Post_ComputedStripeSignature_ReachesHandlerWithTheWholeEvent()
    {
        await using var host = await StartAsync();
        var t = ProviderRequests.Unix(ReceiverHost.Start);
        var header = $"t={t},v1={ProviderRequests.HmacHex(Secret, t + "." + Event)},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39";

        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/stripe", Event, "application/json", ("Stripe-Signature", header)));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var call = host.Calls.All.Should().ContainSingle().Subject;
        call.MessageId.Should().Be("evt_1NG8Du2eZvKYlo2CUI79vXWy");
        call.EventType.Should().Be("setup_intent.created");
        call.Timestamp.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1686089970));
        var data = call.Data.Should().BeOfType<StripeEvent>().Subject;
        data.Data.GetProperty("object").GetProperty("status").GetString().Should().Be("requires_confirmation");
    }

    [Fact]
    public async Task Post_SignedByOurStripeSigner_SecondSecretDuringRotation_Verifies()
    {
        await using var host = await ReceiverHost.StartAsync(
            services => services.AddWebhookReceiver("stripe", o => { o.UseStripe("whsec_old"); o.Secrets.Add(Secret); }).AddHandler<StripeEvent>("setup_intent.created", Record),
            app => app.MapWebhookReceiver("/hooks/stripe", "stripe"));

        var header = StripeWebhookSignature.Sign(Secret, ReceiverHost.Start.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(Event));
        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/stripe", Event, "application/json", ("Stripe-Signature", header)));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.Count.Should().Be(1);
    }

    [Fact]
    public async Task Post_StripeRetryWithNewTimestamp_HandledOnce()
    {
        await using var host = await StartAsync();

        for (var i = 0; i < 2; i++)
        {
            var t = ProviderRequests.Unix(host.Time.GetUtcNow());
            var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/stripe", Event, "application/json",
                ("Stripe-Signature", $"t={t},v1={ProviderRequests.HmacHex(Secret, t + "." + Event)}")));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            host.Time.Advance(TimeSpan.FromHours(1));
        }

        host.Calls.Count.Should().Be(1, "Stripe keeps the event id on retries");
    }

    [Fact]
    public async Task Post_StaleTimestamp_401()
    {
        await using var host = await StartAsync();
        var t = ProviderRequests.Unix(ReceiverHost.Start.AddSeconds(-301));

        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/stripe", Event, "application/json",
            ("Stripe-Signature", $"t={t},v1={ProviderRequests.HmacHex(Secret, t + "." + Event)}")));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        host.Calls.Count.Should().Be(0);
    }

    [Fact]
    public async Task Post_SignedBodyWithoutIdOrType_400()
    {
        await using var host = await StartAsync();
        const string body = """{"object":"event"}""";
        var t = ProviderRequests.Unix(ReceiverHost.Start);

        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/stripe", body, "application/json",
            ("Stripe-Signature", $"t={t},v1={ProviderRequests.HmacHex(Secret, t + "." + body)}")));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        host.Calls.Count.Should().Be(0);
    }

    [Fact]
    public async Task Post_MissingSignatureHeader_400()
    {
        await using var host = await StartAsync();

        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/stripe", Event, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    private static Task<ReceiverHost> StartAsync() =>
        ReceiverHost.StartAsync(
            services => services.AddWebhookReceiver("stripe", o => o.UseStripe(Secret)).AddHandler<StripeEvent>("setup_intent.created", Record),
            app => app.MapWebhookReceiver("/hooks/stripe", "stripe"));

    private static Task Record(WebhookContext<StripeEvent> context, CancellationToken cancellationToken)
    {
        ((HandlerCalls)context.Services.GetService(typeof(HandlerCalls))!).Add("stripe", context, context.Data);
        return Task.CompletedTask;
    }

    public sealed record StripeEvent(string Id, string Type, long Created, JsonElement Data);
}
