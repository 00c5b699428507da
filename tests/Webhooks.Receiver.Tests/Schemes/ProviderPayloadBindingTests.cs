using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Core.Schemes;

namespace Webhooks.Receiver.Tests.Schemes;

/// <summary>
/// Each provider scheme binds its provider's documented payload (snake_case) to plain records, with no attribute and no
/// option set: the scheme's default JSON naming does it.
/// </summary>
public sealed class ProviderPayloadBindingTests
{
    private const string Secret = "provider-secret";

    [Fact]
    public async Task GitHub_RealPullRequestOpened_BindsPlainRecords()
    {
        var body = ProviderRequests.ReadData("github-pull_request-opened.json");
        var data = await BindAsync<GitHubPullRequestEvent>("github", o => o.UseGitHub(Secret), "pull_request", body,
            ("X-Hub-Signature-256", GitHubWebhookSignature.Sign(Secret, Encoding.UTF8.GetBytes(body))),
            ("X-GitHub-Event", "pull_request"),
            ("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"));

        data.Action.Should().Be("opened");
        data.Number.Should().Be(2);
        data.PullRequest.Should().NotBeNull();
        data.PullRequest.Id.Should().Be(279147437);
        data.PullRequest.HtmlUrl.Should().Be("https://github.com/Codertocat/Hello-World/pull/2");
        data.PullRequest.User.Login.Should().Be("Codertocat");
        data.Repository.FullName.Should().Be("Codertocat/Hello-World");
        data.Repository.DefaultBranch.Should().Be("master");
    }

    [Fact]
    public async Task Stripe_DocumentedEventObject_BindsPlainRecords()
    {
        var body = ProviderRequests.ReadData("stripe-setup_intent.created.json");
        var signature = StripeWebhookSignature.Sign(Secret, ReceiverHost.Start.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(body));
        var data = await BindAsync<StripeSetupIntentEvent>("stripe", o => o.UseStripe(Secret), "setup_intent.created", body, ("Stripe-Signature", signature));

        data.Id.Should().Be("evt_1NG8Du2eZvKYlo2CUI79vXWy");
        data.ApiVersion.Should().Be("2019-02-19");
        data.PendingWebhooks.Should().Be(0);
        data.Data.Object.Id.Should().Be("seti_1NG8Du2eZvKYlo2C9XMqbR0x");
        data.Data.Object.PaymentMethod.Should().Be("pm_1NG8Du2eZvKYlo2CYzzldNr7");
        data.Data.Object.PaymentMethodTypes.Should().Equal("acss_debit");
        data.Request.IdempotencyKey.Should().BeNull();
    }

    [Fact]
    public async Task Shopify_DocumentedOrderCreated_BindsPlainRecords()
    {
        var body = ProviderRequests.ReadData("shopify-orders_create.json");
        var data = await BindAsync<ShopifyOrder>("shopify", o => o.UseShopify(Secret), "orders/create", body,
            ("X-Shopify-Hmac-SHA256", ShopifyWebhookSignature.Sign(Secret, Encoding.UTF8.GetBytes(body))),
            ("X-Shopify-Topic", "orders/create"),
            ("X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"));

        data.Id.Should().Be(820982911946154508);
        data.OrderNumber.Should().Be(1234);
        data.TotalPrice.Should().Be(398.00m, "Shopify sends money as strings; the web defaults read numbers from strings");
        data.Customer.FirstName.Should().Be("John");
        data.LineItems.Should().HaveCount(2);
        data.LineItems[0].ProductId.Should().Be(632910392);
        data.LineItems[0].VariantId.Should().Be(808950810);
    }

    [Fact]
    public async Task Slack_DocumentedAppMention_BindsPlainRecords()
    {
        var body = ProviderRequests.ReadData("slack-app_mention.json");
        var timestamp = ReceiverHost.Start.ToUnixTimeSeconds();
        var data = await BindAsync<SlackEventCallback>("slack", o => o.UseSlack(Secret), "app_mention", body,
            ("X-Slack-Request-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("X-Slack-Signature", SlackWebhookSignature.Sign(Secret, timestamp, Encoding.UTF8.GetBytes(body))));

        data.TeamId.Should().Be("T061EG9R6");
        data.ApiAppId.Should().Be("A0MDYCDME");
        data.EventId.Should().Be("Ev0LAN670R");
        data.EventTime.Should().Be(1515449522);
        data.Event.Text.Should().Be("<@U0LAN0Z89> is it everything a river should be?");
        data.Event.EventTs.Should().Be("1515449522000016");
    }

    [Fact]
    public async Task GitHub_OwnJsonOptions_UsedAsGiven()
    {
        var body = ProviderRequests.ReadData("github-pull_request-opened.json");
        var data = await BindAsync<GitHubPullRequestEvent>(
            "github",
            o =>
            {
                o.UseGitHub(Secret);
                o.JsonSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web);
            },
            "pull_request",
            body,
            ("X-Hub-Signature-256", GitHubWebhookSignature.Sign(Secret, Encoding.UTF8.GetBytes(body))),
            ("X-GitHub-Event", "pull_request"),
            ("X-GitHub-Delivery", "d-own-options"));

        data.Action.Should().Be("opened");
        data.PullRequest.Should().BeNull("camelCase options, given explicitly, do not map pull_request");
    }

    [Fact]
    public void DefaultJsonSerializerOptions_ProviderSchemes_SnakeCase_StandardWebhooks_CamelCase()
    {
        foreach (var scheme in (WebhookReceiverScheme[])[WebhookReceiverScheme.GitHub, WebhookReceiverScheme.Stripe, WebhookReceiverScheme.Shopify, WebhookReceiverScheme.Slack])
        {
            WebhookReceiverOptions.DefaultJsonSerializerOptions(scheme).PropertyNamingPolicy.Should().BeSameAs(JsonNamingPolicy.SnakeCaseLower, scheme.ToString());
        }

        WebhookReceiverOptions.DefaultJsonSerializerOptions(WebhookReceiverScheme.StandardWebhooks).PropertyNamingPolicy.Should().BeSameAs(JsonNamingPolicy.CamelCase);
    }

    private static async Task<T> BindAsync<T>(string name, Action<WebhookReceiverOptions> configure, string eventType, string body, params (string Name, string Value)[] headers)
    {
        var bound = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await ReceiverHost.StartAsync(
            services => services.AddWebhookReceiver(name, configure).AddHandler<T>(eventType, (ctx, _) =>
            {
                bound.TrySetResult(ctx.Data);
                return Task.CompletedTask;
            }),
            app => app.MapWebhookReceiver("/hooks", name));

        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks", body, "application/json", headers));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await bound.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public sealed record GitHubPullRequestEvent(string Action, int Number, GitHubPullRequest PullRequest, GitHubRepository Repository);

    public sealed record GitHubPullRequest(long Id, string Title, string HtmlUrl, GitHubUser User);

    public sealed record GitHubUser(string Login);

    public sealed record GitHubRepository(string FullName, string DefaultBranch);

    public sealed record StripeSetupIntentEvent(string Id, string Type, string ApiVersion, int PendingWebhooks, StripeEventData Data, StripeRequest Request);

    public sealed record StripeEventData(StripeSetupIntent Object);

    public sealed record StripeSetupIntent(string Id, string PaymentMethod, IReadOnlyList<string> PaymentMethodTypes);

    public sealed record StripeRequest(string? Id, string? IdempotencyKey);

    public sealed record ShopifyOrder(long Id, int OrderNumber, decimal TotalPrice, ShopifyCustomer Customer, IReadOnlyList<ShopifyLineItem> LineItems);

    public sealed record ShopifyCustomer(long Id, string FirstName);

    public sealed record ShopifyLineItem(long ProductId, long VariantId, decimal Price);

    public sealed record SlackEventCallback(string TeamId, string ApiAppId, string EventId, long EventTime, SlackAppMention Event);

    public sealed record SlackAppMention(string Type, string User, string Text, string EventTs);
}
