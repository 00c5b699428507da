using System.Net;
using System.Text;
using System.Text.Json.Serialization;
using Webhooks.Core.Schemes;

namespace Webhooks.Receiver.Tests.Schemes;

public sealed class SlackSchemeTests
{
    // Slack's documented example ("Verifying requests from Slack").
    private const string DocsSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const long DocsTimestamp = 1531420618;
    private const string DocsSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private const string DocsBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    private const string Secret = "slack-signing-secret";

    [Fact]
    public async Task Post_SlackDocsExample_SlashCommandReachesHandler()
    {
        await using var host = await StartAsync(DocsSecret, DateTimeOffset.FromUnixTimeSeconds(DocsTimestamp));

        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/slack", DocsBody, "application/x-www-form-urlencoded",
            ("X-Slack-Request-Timestamp", DocsTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("X-Slack-Signature", DocsSignature)));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var call = host.Calls.All.Should().ContainSingle().Subject;
        call.EventType.Should().Be("/webhook-collect");
        call.MessageId.Should().Be("398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");
        call.Data.Should().Be(new SlashCommand("/webhook-collect", "roadrunner", string.Empty));
    }

    [Fact]
    public async Task Post_SlackDocsExampleSixMinutesLater_401()
    {
        await using var host = await StartAsync(DocsSecret, DateTimeOffset.FromUnixTimeSeconds(DocsTimestamp + 360));

        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/slack", DocsBody, "application/x-www-form-urlencoded",
            ("X-Slack-Request-Timestamp", DocsTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("X-Slack-Signature", DocsSignature)));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        host.Calls.Count.Should().Be(0);
    }

    [Fact]
    public async Task Post_EventCallbackAndSlacksRetry_HandledOnceByInnerEventType()
    {
        await using var host = await StartAsync(Secret, ReceiverHost.Start);
        const string body = """{"token":"x","team_id":"T1","type":"event_callback","event_id":"Ev08MFMKH6","event_time":1767225600,"event":{"type":"app_mention","user":"U1","text":"<@U0> hi","channel":"C1"}}""";

        var first = await host.Client.SendAsync(SignedJson(body, host.Time.GetUtcNow()));
        host.Time.Advance(TimeSpan.FromSeconds(61));
        using var retry = SignedJson(body, host.Time.GetUtcNow());
        retry.Headers.Add("X-Slack-Retry-Num", "1");
        retry.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        var second = await host.Client.SendAsync(retry);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        var call = host.Calls.All.Should().ContainSingle().Subject;
        call.EventType.Should().Be("app_mention");
        call.MessageId.Should().Be("Ev08MFMKH6");
    }

    [Fact]
    public async Task Post_UrlVerification_EchoesTheChallenge()
    {
        await using var host = await StartAsync(Secret, ReceiverHost.Start);
        const string body = """{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""";

        var response = await host.Client.SendAsync(SignedJson(body, ReceiverHost.Start));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
        host.Calls.Count.Should().Be(0);
    }

    [Fact]
    public async Task Post_UrlVerificationWithBadSignature_401()
    {
        await using var host = await StartAsync(Secret, ReceiverHost.Start);
        const string body = """{"challenge":"abc","type":"url_verification"}""";
        var t = ProviderRequests.Unix(ReceiverHost.Start);

        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/slack", body, "application/json",
            ("X-Slack-Request-Timestamp", t), ("X-Slack-Signature", "v0=" + ProviderRequests.HmacHex("wrong", $"v0:{t}:{body}"))));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("abc");
    }

    [Fact]
    public async Task Post_SignedByOurSlackSigner_Verifies()
    {
        await using var host = await StartAsync(Secret, ReceiverHost.Start);
        const string body = """{"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention"}}""";

        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/slack", body, "application/json",
            ("X-Slack-Request-Timestamp", ProviderRequests.Unix(ReceiverHost.Start)),
            ("X-Slack-Signature", SlackWebhookSignature.Sign(Secret, ReceiverHost.Start.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(body)))));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.Count.Should().Be(1);
    }

    private static HttpRequestMessage SignedJson(string body, DateTimeOffset time)
    {
        var t = ProviderRequests.Unix(time);
        return ProviderRequests.Post("/hooks/slack", body, "application/json",
            ("X-Slack-Request-Timestamp", t), ("X-Slack-Signature", "v0=" + ProviderRequests.HmacHex(Secret, $"v0:{t}:{body}")));
    }

    private static Task<ReceiverHost> StartAsync(string secret, DateTimeOffset now) =>
        ReceiverHost.StartAsync(
            services => services.AddWebhookReceiver("slack", o => o.UseSlack(secret))
                .AddHandler<SlashCommand>("/webhook-collect", Record)
                .AddHandler<System.Text.Json.JsonElement>("app_mention", Record),
            app => app.MapWebhookReceiver("/hooks/slack", "slack"),
            now);

    private static Task Record<T>(WebhookContext<T> context, CancellationToken cancellationToken)
    {
        ((HandlerCalls)context.Services.GetService(typeof(HandlerCalls))!).Add("slack", context, context.Data);
        return Task.CompletedTask;
    }

    public sealed record SlashCommand(
        string Command,
        [property: JsonPropertyName("user_name")] string UserName,
        string Text);
}
