using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Webhooks.Core;
using Webhooks.Sender.Delivery;
using Webhooks.Sender;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.EndToEnd;

/// <summary>The sender quick start of docs/sending.md, compiled and run against a verifying Kestrel endpoint.</summary>
public sealed class QuickStartTests
{
    [Fact]
    public async Task QuickStart_FromAddWebhookSenderToAVerifiedDelivery()
    {
        await using var receiver = await KestrelReceiver.StartAsync();
        var endpointUrl = receiver.Url("orders");
        var store = new ObservedStore(new InMemoryWebhookStore());

        // --- docs/sending.md: quick start ---
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWebhookSender();
        builder.Services.AddWebhookSender(SenderHost.AllowLoopback).UseStore(_ => store); // (test only: loopback endpoint, observe completions)
        using var app = builder.Build();
        await app.StartAsync();

        var subs = app.Services.GetRequiredService<IWebhookSubscriptions>();
        var sub = await subs.CreateAsync(new(endpointUrl) { EventTypes = ["order.*"] });
        string secretForTheEndpoint = sub.Secrets[0].Secret.RevealEncoded(); // hand this to the endpoint's owner
        // --- (test: the endpoint learns the secret) ---
        receiver.Trust("orders", WebhookSecret.Parse(secretForTheEndpoint));
        // --- docs/sending.md continues ---

        var publisher = app.Services.GetRequiredService<IWebhookPublisher>();
        string messageId = await publisher.PublishAsync(new OrderCreated(42));
        // --- end ---

        await store.NextCompletionAsync();
        await receiver.WaitUntilAsync(() => receiver.Delivered().Count == 1);
        var arrival = receiver.Arrivals.Single();
        arrival.Verified.Should().BeTrue();
        arrival.MessageId.Should().Be(messageId);

        // --- docs/sending.md: monitoring and replay ---
        var deliveries = app.Services.GetRequiredService<IWebhookDeliveries>();
        var page = await deliveries.ListDeliveriesAsync(new() { SubscriptionId = sub.Id });
        foreach (var delivery in page.Items)
        {
            var attempts = await deliveries.ListAttemptsAsync(new() { DeliveryId = delivery.Id });
            Console.WriteLine($"{delivery.MessageId}: {delivery.Status}, {attempts.Items.Count} attempt(s), last HTTP {delivery.LastStatusCode}");
        }

        await deliveries.RedeliverAsync(messageId, sub.Id);                          // send one message again
        int recovered = await deliveries.RecoverAsync(sub.Id, DateTimeOffset.UtcNow.AddDays(-1)); // every failure since yesterday
        // --- end ---

        page.Items.Should().ContainSingle().Which.Status.Should().BeOneOf(WebhookDeliveryStatus.Succeeded);
        recovered.Should().Be(0);
        await receiver.WaitUntilAsync(() => receiver.Arrivals.Count == 2);
        receiver.Arrivals.Should().OnlyContain(a => a.Verified && a.MessageId == messageId);
        await app.StopAsync();
    }
}
