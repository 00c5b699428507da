namespace Webhooks.Samples.Quickstart;

/// <summary>The receiver's two endpoints.</summary>
internal static class Endpoints
{
    /// <summary>A healthy endpoint: receives the order events.</summary>
    public const string OrdersPath = "/webhooks/orders";

    /// <summary>An endpoint that is down for its first <see cref="BillingOutage"/> requests, then recovers.</summary>
    public const string BillingPath = "/webhooks/billing";

    /// <summary>How many requests the billing endpoint refuses with 503 before it recovers.</summary>
    public const int BillingOutage = 2;
}
