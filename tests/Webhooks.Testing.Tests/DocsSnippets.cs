using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Core;
using Webhooks.Sender;

namespace Webhooks.Testing.Tests;

/// <summary>The snippets of docs/testing.md, compiled here and run by <see cref="DocsSnippetsTests"/>.</summary>
internal static class DocsSnippets
{
    /// <summary>Posts the documented requests to the receiver behind <paramref name="client"/>; returns the status codes in order.</summary>
    public static async Task<HttpStatusCode[]> ReceiverAsync(HttpClient client, WebhookSecret secret)
    {
        // #region receiver
        var signer = WebhookTestSigner.StandardWebhooks(secret);

        using var ok = await client.PostWebhookAsync("/webhooks", new OrderCreated(42), signer);                 // 200
        using var stale = await client.PostWebhookAsync("/webhooks", new OrderCreated(42), signer.WithStaleTimestamp());     // 401
        using var forged = await client.PostWebhookAsync("/webhooks", new OrderCreated(42), signer.WithWrongSignature());    // 401
        using var unsigned = await client.PostWebhookAsync("/webhooks", new OrderCreated(42), signer.WithoutHeader("webhook-signature")); // 400
        using var first = await client.PostWebhookAsync("/webhooks", new OrderCreated(7), signer.WithMessageId("msg_1"));   // 200, handled
        using var again = await client.PostWebhookAsync("/webhooks", new OrderCreated(7), signer.WithMessageId("msg_1"));   // 200, not handled again
        // #endregion receiver
        return [ok.StatusCode, stale.StatusCode, forged.StatusCode, unsigned.StatusCode, first.StatusCode, again.StatusCode];
    }

    /// <summary>Posts the documented GitHub request; returns its status.</summary>
    public static async Task<HttpStatusCode> GitHubAsync(HttpClient client)
    {
        // #region providers
        var github = WebhookTestSigner.GitHub("my-github-secret").WithEventType("push");
        using var response = await client.PostWebhookAsync("/hooks/github", """{"ref":"refs/heads/main"}""", github);

        // Or build the request and send it yourself:
        using var request = WebhookTestRequest.Create("/hooks/stripe", """{"id":"evt_1","type":"invoice.paid"}""",
            WebhookTestSigner.Stripe("whsec_my_stripe_secret"));
        // #endregion providers
        request.Headers.Contains("Stripe-Signature").Should().BeTrue();
        return response.StatusCode;
    }

    /// <summary>The documented fake publisher test, run as written.</summary>
    public static async Task<PublishedWebhook> PublisherAsync()
    {
        // #region publisher
        var services = new ServiceCollection();
        services.AddWebhookSender();
        services.AddFakeWebhookPublisher();              // replaces IWebhookPublisher
        services.AddSingleton<OrderService>();           // the code under test publishes
        using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<OrderService>().PlaceAsync(42);

        var fake = provider.GetRequiredService<FakeWebhookPublisher>();
        var published = fake.Published.Should().ContainSingle().Subject;
        published.EventType.Should().Be("order.created");
        published.TenantId.Should().Be("acme");
        published.IdempotencyKey.Should().Be("order-42-created");
        published.Data<OrderCreated>()!.OrderId.Should().Be(42);
        // #endregion publisher
        return published;
    }

    /// <summary>The documented sender integration test, run as written; returns what the endpoint saw and the fake time that passed.</summary>
    public static async Task<(IReadOnlyList<WebhookTestDelivery> Deliveries, TimeSpan Elapsed)> SenderAsync()
    {
        // #region sender
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var endpoint = await WebhookTestEndpoint.StartAsync(new() { TimeProvider = time });
        endpoint.FailFirst(3, HttpStatusCode.ServiceUnavailable);      // then 200

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddWebhookSender()
            .AllowLoopbackForTesting();                                 // the SSRF guard refuses 127.0.0.1 otherwise
        using var app = builder.Build();
        await app.StartAsync();

        var subscriptions = app.Services.GetRequiredService<IWebhookSubscriptions>();
        await subscriptions.CreateAsync(new(endpoint.Url) { Secret = endpoint.Secret });
        await app.Services.GetRequiredService<IWebhookPublisher>().PublishAsync(new OrderCreated(42));

        var driver = new WebhookSenderTestDriver(app.Services, time);
        await driver.RunUntilCompleteAsync();                           // immediately, +5 s, +5 min, +30 min: done

        endpoint.Deliveries.Select(d => d.StatusCode).Should().Equal(503, 503, 503, 200);
        endpoint.Deliveries.Should().OnlyContain(d => d.Verified);
        // #endregion sender
        var elapsed = time.GetUtcNow() - new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await app.StopAsync();
        return (endpoint.Deliveries, elapsed);
    }

    /// <summary>The code under test in the publisher snippet.</summary>
    public sealed class OrderService(IWebhookPublisher publisher)
    {
        public Task PlaceAsync(int orderId) =>
            publisher.PublishAsync(new OrderCreated(orderId), new WebhookPublishOptions { TenantId = "acme", IdempotencyKey = $"order-{orderId}-created" });
    }
}
