namespace Webhooks.Management.Tests.Testing;

/// <summary>Every route of the API with a valid body, over ids of one tenant's data: for the isolation and scope tests.</summary>
public static class Routes
{
    public sealed record Route(string Method, string Path, string? Body, string OperationId);

    public static IReadOnlyList<Route> All(string endpointId, string messageId, string deliveryId) =>
    [
        new("GET", "/endpoints", null, "WebhooksListEndpoints"),
        new("POST", "/endpoints", """{"url":"https://hooks.example.com/new"}""", "WebhooksCreateEndpoint"),
        new("GET", $"/endpoints/{endpointId}", null, "WebhooksGetEndpoint"),
        new("PATCH", $"/endpoints/{endpointId}", """{"description":"changed"}""", "WebhooksUpdateEndpoint"),
        new("DELETE", $"/endpoints/{endpointId}", null, "WebhooksDeleteEndpoint"),
        new("POST", $"/endpoints/{endpointId}/enable", null, "WebhooksEnableEndpoint"),
        new("POST", $"/endpoints/{endpointId}/disable", """{"reason":"x"}""", "WebhooksDisableEndpoint"),
        new("POST", $"/endpoints/{endpointId}/secret/rotate", null, "WebhooksRotateEndpointSecret"),
        new("POST", $"/endpoints/{endpointId}/test", null, "WebhooksSendTestEvent"),
        new("POST", $"/endpoints/{endpointId}/recover", """{"since":"2020-01-01T00:00:00Z"}""", "WebhooksRecoverEndpoint"),
        new("GET", "/messages", null, "WebhooksListMessages"),
        new("GET", $"/messages/{messageId}", null, "WebhooksGetMessage"),
        new("POST", "/messages", """{"eventType":"order.created","data":{"orderId":1}}""", "WebhooksPublishMessage"),
        new("GET", "/deliveries", null, "WebhooksListDeliveries"),
        new("GET", $"/deliveries/{deliveryId}", null, "WebhooksGetDelivery"),
        new("GET", $"/deliveries/{deliveryId}/attempts", null, "WebhooksListDeliveryAttempts"),
        new("POST", $"/deliveries/{deliveryId}/redeliver", null, "WebhooksRedeliverDelivery"),
        new("GET", "/event-types", null, "WebhooksListEventTypes"),
        new("GET", "/event-types/order.created", null, "WebhooksGetEventType"),
    ];

    /// <summary>The routes that name one resource by id (the others list or create).</summary>
    public static IEnumerable<Route> ById(string endpointId, string messageId, string deliveryId) =>
        All(endpointId, messageId, deliveryId).Where(r => r.Path.Contains(endpointId, StringComparison.Ordinal) || r.Path.Contains(messageId, StringComparison.Ordinal) || r.Path.Contains(deliveryId, StringComparison.Ordinal));
}
