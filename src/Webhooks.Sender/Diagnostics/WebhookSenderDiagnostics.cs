using System.Diagnostics;

namespace Webhooks.Sender.Diagnostics;

/// <summary>The sender's <see cref="ActivitySource"/> and the tag names its spans and instruments use.</summary>
internal static class WebhookSenderDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> and the <see cref="ActivitySource"/>.</summary>
    public const string Name = "Webhooks.Sender";

    public const string EventTypeTag = "webhooks.event_type";
    public const string TenantTag = "webhooks.tenant_id";
    public const string MessageIdTag = "webhooks.message_id";
    public const string DeliveryIdTag = "webhooks.delivery_id";
    public const string SubscriptionIdTag = "webhooks.subscription_id";
    public const string SubscriptionCountTag = "webhooks.subscription_count";
    public const string BatchSizeTag = "webhooks.batch_size";
    public const string AttemptTag = "webhooks.attempt";
    public const string OutcomeTag = "webhooks.outcome";
    public const string ErrorTypeTag = "error.type";
    public const string StatusCodeTag = "http.response.status_code";
    public const string ServerAddressTag = "server.address";

    public static readonly string Version = typeof(WebhookSenderDiagnostics).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static readonly ActivitySource ActivitySource = new(Name, Version);
}
