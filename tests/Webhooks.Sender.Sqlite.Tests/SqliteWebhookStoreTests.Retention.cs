using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Sqlite.Tests;

public sealed partial class SqliteWebhookStoreTests
{
    [Fact]
    public async Task PurgeSucceeded_RemovesOldFullySucceededMessages_KeepsFailedPendingAndRecentOnes()
    {
        var store = Open();
        var succeeded = await EnqueueAndFinishAsync(store, WebhookDeliveryStatus.Succeeded, WebhookDeliveryStatus.Succeeded);
        var failed = await EnqueueAndFinishAsync(store, WebhookDeliveryStatus.Succeeded, WebhookDeliveryStatus.Failed);
        var pending = await EnqueueAndFinishAsync(store, WebhookDeliveryStatus.Succeeded, WebhookDeliveryStatus.Pending);
        var noDeliveries = NewMessage();
        await store.EnqueueAsync(noDeliveries, []);
        Time.Advance(TimeSpan.FromDays(8));
        var recent = await EnqueueAndFinishAsync(store, WebhookDeliveryStatus.Succeeded);

        var purged = await store.PurgeSucceededAsync(Time.GetUtcNow() - TimeSpan.FromDays(7), 100);

        purged.Should().Be(2);
        (await store.GetMessageAsync(succeeded)).Should().BeNull();
        (await store.GetMessageAsync(noDeliveries.Id)).Should().BeNull();
        (await store.ListDeliveriesAsync(new() { MessageId = succeeded })).Items.Should().BeEmpty();
        (await store.ListAttemptsAsync(new() { MessageId = succeeded })).Items.Should().BeEmpty();
        foreach (var kept in new[] { failed, pending, recent })
        {
            (await store.GetMessageAsync(kept)).Should().NotBeNull();
            (await store.ListDeliveriesAsync(new() { MessageId = kept })).Items.Should().NotBeEmpty();
        }

        (await store.ListAttemptsAsync(new() { MessageId = failed })).Items.Should().HaveCount(2);
    }

    [Fact]
    public async Task PurgeSucceeded_HonoursTheBatchSize()
    {
        var store = Open();
        for (var i = 0; i < 5; i++)
        {
            await EnqueueAndFinishAsync(store, WebhookDeliveryStatus.Succeeded);
        }

        Time.Advance(TimeSpan.FromDays(1));

        (await store.PurgeSucceededAsync(Time.GetUtcNow(), 2)).Should().Be(2);
        (await store.PurgeSucceededAsync(Time.GetUtcNow(), 2)).Should().Be(2);
        (await store.PurgeSucceededAsync(Time.GetUtcNow(), 2)).Should().Be(1);
        (await store.PurgeSucceededAsync(Time.GetUtcNow(), 2)).Should().Be(0);
        (await store.ListMessagesAsync(new())).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task PurgeFailed_RemovesOldFailedDeliveriesOfTheSubscription_AndMessagesLeftEmpty()
    {
        var store = Open();
        var onlyFailed = await EnqueueAndFinishAsync(store, WebhookDeliveryStatus.Failed);
        var mixed = await EnqueueAndFinishAsync(store, WebhookDeliveryStatus.Succeeded, WebhookDeliveryStatus.Failed);
        Time.Advance(TimeSpan.FromDays(1));
        var recent = await EnqueueAndFinishAsync(store, WebhookDeliveryStatus.Failed);

        var otherSubscription = await store.PurgeFailedAsync(Time.GetUtcNow() - TimeSpan.FromHours(1), "sub_nobody", 100);
        var purged = await store.PurgeFailedAsync(Time.GetUtcNow() - TimeSpan.FromHours(1), null, 100);

        otherSubscription.Should().Be(0);
        purged.Should().Be(2);
        (await store.GetMessageAsync(onlyFailed)).Should().BeNull();
        (await store.GetMessageAsync(mixed)).Should().NotBeNull();
        (await store.ListDeliveriesAsync(new() { MessageId = mixed })).Items.Should().ContainSingle().Which.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        (await store.ListAttemptsAsync(new() { MessageId = mixed })).Items.Should().ContainSingle();
        (await store.ListDeliveriesAsync(new() { MessageId = recent })).Items.Should().ContainSingle().Which.Status.Should().Be(WebhookDeliveryStatus.Failed);
    }

    /// <summary>Enqueues one message with a delivery per outcome and drives each delivery there (one attempt each, except pending).</summary>
    private async Task<string> EnqueueAndFinishAsync(SqliteWebhookStore store, params WebhookDeliveryStatus[] outcomes)
    {
        var message = NewMessage();
        var deliveries = outcomes.Select((_, i) => NewDelivery(message, $"sub_{i}")).ToArray();
        await store.EnqueueAsync(message, deliveries);
        var outcomeOf = deliveries.Zip(outcomes).ToDictionary(p => p.First.Id, p => p.Second);
        foreach (var claim in await store.ClaimAsync(new WebhookClaimRequest { LeaseOwner = "w", MaxCount = 100, LeaseDuration = Lease }))
        {
            if (!outcomeOf.TryGetValue(claim.Delivery.Id, out var outcome) || outcome == WebhookDeliveryStatus.Pending)
            {
                // Another message's pending delivery, or one meant to stay pending: hand it back untouched.
                await store.ReleaseAsync(claim.Delivery.Id, claim.Delivery.LeaseId!);
                continue;
            }

            await store.CompleteAsync(new WebhookDeliveryCompletion
            {
                DeliveryId = claim.Delivery.Id,
                LeaseId = claim.Delivery.LeaseId!,
                Status = outcome,
                FailureReason = outcome == WebhookDeliveryStatus.Failed ? "gone" : null,
                Attempt = new WebhookAttempt
                {
                    Id = $"atm_{claim.Delivery.Id}",
                    DeliveryId = claim.Delivery.Id,
                    MessageId = message.Id,
                    SubscriptionId = claim.Delivery.SubscriptionId,
                    AttemptNumber = 1,
                    Url = "https://example.com/hooks",
                    StartedAt = Time.GetUtcNow(),
                    Succeeded = outcome == WebhookDeliveryStatus.Succeeded,
                    StatusCode = outcome == WebhookDeliveryStatus.Succeeded ? 200 : 410,
                },
            });
        }

        return message.Id;
    }
}
