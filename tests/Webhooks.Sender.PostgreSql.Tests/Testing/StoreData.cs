using System.Text;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql.Tests.Testing;

/// <summary>Messages and deliveries with increasing ids, for store-level tests.</summary>
public sealed class StoreData(TimeProvider time)
{
    private int _sequence;

    public string NextId(string prefix) => $"{prefix}{Interlocked.Increment(ref _sequence):D26}";

    public WebhookMessage Message(string? tenantId = null) => new()
    {
        Id = NextId("msg_"),
        TenantId = tenantId,
        EventType = "order.created",
        Payload = Encoding.UTF8.GetBytes("{\"type\":\"order.created\",\"data\":{}}"),
        CreatedAt = time.GetUtcNow(),
    };

    public WebhookDelivery Delivery(WebhookMessage message, string subscriptionId) => new()
    {
        Id = NextId("dlv_"),
        MessageId = message.Id,
        SubscriptionId = subscriptionId,
        TenantId = message.TenantId,
        EventType = message.EventType,
        Status = WebhookDeliveryStatus.Pending,
        NextAttemptAt = time.GetUtcNow(),
        CreatedAt = time.GetUtcNow(),
    };

    public async Task<(WebhookMessage Message, WebhookDelivery[] Deliveries)> EnqueueAsync(IWebhookStore store, params string[] subscriptionIds)
    {
        var message = Message();
        var deliveries = subscriptionIds.Select(s => Delivery(message, s)).ToArray();
        await store.EnqueueAsync(message, deliveries);
        return (message, deliveries);
    }

    public WebhookDeliveryCompletion Completion(WebhookDeliveryClaim claim, WebhookDeliveryStatus status) => new()
    {
        DeliveryId = claim.Delivery.Id,
        LeaseId = claim.Delivery.LeaseId!,
        Status = status,
        FailureReason = status == WebhookDeliveryStatus.Failed ? "gone" : null,
        Attempt = new WebhookAttempt
        {
            Id = NextId("atm_"),
            DeliveryId = claim.Delivery.Id,
            MessageId = claim.Message.Id,
            SubscriptionId = claim.Delivery.SubscriptionId,
            AttemptNumber = claim.Delivery.AttemptCount + 1,
            Url = "https://example.com/hooks",
            StartedAt = time.GetUtcNow(),
            Succeeded = status == WebhookDeliveryStatus.Succeeded,
            StatusCode = status == WebhookDeliveryStatus.Succeeded ? 200 : 500,
            Error = status == WebhookDeliveryStatus.Succeeded ? WebhookAttemptError.None : WebhookAttemptError.HttpStatus,
        },
    };

    public static WebhookClaimRequest Claim(int max, string owner, TimeSpan? lease = null) =>
        new() { LeaseOwner = owner, MaxCount = max, LeaseDuration = lease ?? TimeSpan.FromMinutes(1) };
}
