using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhooks.Core.Events;
using Webhooks.Core;
using Webhooks.Testing;

namespace Webhooks.Receiver.Tests;

/// <summary>The receiver snippets of docs/receiving.md, compiled and run. Keep docs/receiving.md in step with this file.</summary>
public sealed class ReadmeSnippetsTests
{
    [Fact]
    public async Task QuickStart_SignedOrderCreated_ReachesTheHandler()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["Webhooks:Secret"] = StandardSigner.EncodedSecret;
        builder.Services.AddSingleton<OrderLog>();

        // docs/receiving.md: quick start
        builder.Services.AddWebhookReceiver(o => o.Secrets.Add(builder.Configuration["Webhooks:Secret"]!))
            .AddHandler<OrderCreated, OrderCreatedHandler>();

        var app = builder.Build();
        app.MapWebhookReceiver("/webhooks");
        // end docs/receiving.md

        await app.StartAsync();
        var body = Encoding.UTF8.GetBytes("""{"type":"order.created","timestamp":"2026-01-01T00:00:00Z","data":{"orderId":42,"customer":"ada"}}""");
        var signer = WebhookTestSigner.StandardWebhooks(StandardSigner.Secret).WithMessageId("msg_readme");

        var response = await app.GetTestClient().PostWebhookAsync("/webhooks", body, signer);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        app.Services.GetRequiredService<OrderLog>().Orders.Should().Equal(42);
        await app.StopAsync();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Providers_AllReceiversMapAndStart()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GitHub:WebhookSecret"] = "gh",
            ["Stripe:WebhookSecret"] = "whsec_stripe",
            ["Shopify:ClientSecret"] = "shpss",
            ["Slack:SigningSecret"] = "slack",
        });

        // docs/receiving.md: GitHub
        builder.Services.AddWebhookReceiver("github", o => o.UseGitHub(builder.Configuration["GitHub:WebhookSecret"]!))
            .AddHandler<PullRequestEvent>("pull_request", (ctx, ct) =>
            {
                var title = ctx.Data.PullRequest.Title;   // "pull_request" binds PullRequest: GitHub's snake_case by default
                return Task.CompletedTask;
            });

        // docs/receiving.md: Stripe
        builder.Services.AddWebhookReceiver("stripe", o => o.UseStripe(builder.Configuration["Stripe:WebhookSecret"]!))
            .AddHandler<StripeEvent<Invoice>>("invoice.paid", (ctx, ct) =>
            {
                var invoice = ctx.Data.Data.Object;   // the whole Stripe event is the payload
                return Task.CompletedTask;
            });

        // docs/receiving.md: Shopify
        builder.Services.AddWebhookReceiver("shopify", o => o.UseShopify(builder.Configuration["Shopify:ClientSecret"]!))
            .AddHandler<ShopifyOrder>("orders/create", (ctx, ct) =>
            {
                var total = ctx.Data.TotalPrice;   // "total_price": "398.00", a string in the payload, read as a number
                return Task.CompletedTask;
            });

        // docs/receiving.md: Slack
        builder.Services.AddWebhookReceiver("slack", o => o.UseSlack(builder.Configuration["Slack:SigningSecret"]!))
            .AddHandler<SlackEventCallback<AppMention>>("app_mention", (ctx, ct) => Task.CompletedTask)   // Events API: the inner event.type
            .AddHandler<SlashCommand>("/deploy", (ctx, ct) => Task.CompletedTask);                         // slash command: the command

        var app = builder.Build();
        app.MapWebhookReceiver("/webhooks/github", "github");
        app.MapWebhookReceiver("/webhooks/stripe", "stripe");
        app.MapWebhookReceiver("/webhooks/shopify", "shopify");
        app.MapWebhookReceiver("/webhooks/slack", "slack");
        // end docs/receiving.md

        var act = () => app.StartAsync();

        await act.Should().NotThrowAsync();
        var response = await app.GetTestClient().PostAsync(new Uri("/webhooks/stripe", UriKind.Relative), new StringContent("{}"));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, "no Stripe-Signature header");
        await app.StopAsync();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task RawBody_SignedOrderCreated_ArchivedByteForByte()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["Webhooks:Secret"] = StandardSigner.EncodedSecret;
        builder.Services.AddSingleton<MessageArchive>();

        // docs/receiving.md: raw body
        builder.Services.AddWebhookReceiver(o => o.Secrets.Add(builder.Configuration["Webhooks:Secret"]!))
            .AddHandler<OrderCreated>("order.created", async (ctx, ct) =>
            {
                var archive = ctx.Services.GetRequiredService<MessageArchive>();
                await archive.SaveAsync(ctx.MessageId, ctx.RawBody.ToArray(), ct);   // copy: the buffer is reused after the handler
            });
        // end docs/receiving.md

        var app = builder.Build();
        app.MapWebhookReceiver("/webhooks");
        await app.StartAsync();
        var body = Encoding.UTF8.GetBytes("""{"type":"order.created","timestamp":"2026-01-01T00:00:00Z","data":{"orderId":7}}""");
        var signer = WebhookTestSigner.StandardWebhooks(StandardSigner.Secret).WithMessageId("msg_raw");

        var response = await app.GetTestClient().PostWebhookAsync("/webhooks", body, signer);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        app.Services.GetRequiredService<MessageArchive>().Saved.Should().ContainKey("msg_raw").WhoseValue.Should().Equal(body);
        await app.StopAsync();
        await app.DisposeAsync();
    }

    // docs/receiving.md: GitHub records
    public sealed record PullRequestEvent(string Action, int Number, PullRequest PullRequest, Repository Repository);
    public sealed record PullRequest(long Id, string Title, string HtmlUrl, GitHubUser User);
    public sealed record GitHubUser(string Login);
    public sealed record Repository(string FullName, string DefaultBranch);

    // docs/receiving.md: Stripe records
    public sealed record StripeEvent<T>(string Id, string Type, long Created, string ApiVersion, StripeEventData<T> Data);
    public sealed record StripeEventData<T>(T Object);
    public sealed record Invoice(string Id, string Customer, string? CustomerEmail, long AmountPaid, string Currency);

    // docs/receiving.md: Shopify records
    public sealed record ShopifyOrder(long Id, string Name, decimal TotalPrice, string Currency, IReadOnlyList<ShopifyLineItem> LineItems);
    public sealed record ShopifyLineItem(long ProductId, long VariantId, int Quantity, decimal Price);

    // docs/receiving.md: Slack records
    public sealed record SlackEventCallback<T>(string TeamId, string ApiAppId, string EventId, long EventTime, T Event);
    public sealed record AppMention(string User, string Text, string Channel, string EventTs);
    public sealed record SlashCommand(string Command, string Text, string UserName, string ChannelId, string TriggerId);

    public sealed class MessageArchive
    {
        public Dictionary<string, byte[]> Saved { get; } = [];

        public Task SaveAsync(string messageId, byte[] body, CancellationToken cancellationToken)
        {
            Saved[messageId] = body;
            return Task.CompletedTask;
        }
    }

    public sealed class OrderLog
    {
        public List<int> Orders { get; } = [];
    }

    // docs/receiving.md: handler
    public sealed class OrderCreatedHandler(OrderLog orders, ILogger<OrderCreatedHandler> logger) : IWebhookHandler<OrderCreated>
    {
        public Task HandleAsync(WebhookContext<OrderCreated> context, CancellationToken cancellationToken)
        {
            logger.LogInformation("Order {OrderId} created (message {MessageId})", context.Data.OrderId, context.MessageId);
            orders.Orders.Add(context.Data.OrderId);
            return Task.CompletedTask;
        }
    }
}
