using Webhooks.Core;

namespace Webhooks.Sender.Tests.Health;

internal static class HealthTestSubscriptions
{
    public static WebhookSubscription Create(string id = "sub_a", int? rateLimitPerSecond = null, DateTimeOffset updatedAt = default) => new()
    {
        Id = id,
        Url = new Uri("https://hooks.example/" + id),
        RateLimitPerSecond = rateLimitPerSecond,
        CreatedAt = updatedAt,
        UpdatedAt = updatedAt,
    };
}
