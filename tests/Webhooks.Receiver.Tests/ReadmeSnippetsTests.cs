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
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks") { Content = new ByteArrayContent(body) };
        request.Headers.Add("webhook-id", "msg_readme");
        request.Headers.Add("webhook-timestamp", now.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhook.Sign(StandardSigner.Secret, "msg_readme", now, body));

        var response = await app.GetTestClient().SendAsync(request);

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
            .AddHandler<JsonElement>("pull_request", (ctx, ct) =>
            {
                var action = ctx.Data.GetProperty("action").GetString();   // "opened", "closed", ...
                return Task.CompletedTask;
            });

        // docs/receiving.md: Stripe
        builder.Services.AddWebhookReceiver("stripe", o => o.UseStripe(builder.Configuration["Stripe:WebhookSecret"]!))
            .AddHandler<StripeEvent>("invoice.paid", (ctx, ct) =>
            {
                var invoice = ctx.Data.Data.Object;   // the whole Stripe event is the payload
                return Task.CompletedTask;
            });

        // docs/receiving.md: Shopify
        builder.Services.AddWebhookReceiver("shopify", o => o.UseShopify(builder.Configuration["Shopify:ClientSecret"]!))
            .AddHandler<JsonElement>("orders/create", (ctx, ct) => Task.CompletedTask);

        // docs/receiving.md: Slack
        builder.Services.AddWebhookReceiver("slack", o => o.UseSlack(builder.Configuration["Slack:SigningSecret"]!))
            .AddHandler<JsonElement>("app_mention", (ctx, ct) => Task.CompletedTask)       // Events API: the inner event.type
            .AddHandler<JsonElement>("/deploy", (ctx, ct) => Task.CompletedTask);          // slash command: the command

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

    public sealed record StripeEvent(string Id, string Type, StripeEventData Data);

    public sealed record StripeEventData(JsonElement Object);

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
