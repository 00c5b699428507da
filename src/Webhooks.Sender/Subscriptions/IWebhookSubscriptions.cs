using Webhooks.Core;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender;

/// <summary>
/// Manages subscriptions (endpoints). The instance from the container sees every tenant; <see cref="ForTenant"/>
/// returns a view restricted to one tenant, which is what a multi-tenant app should hand to tenant-facing code.
/// </summary>
public interface IWebhookSubscriptions
{
    /// <summary>Gets the tenant this view is restricted to, or <see langword="null"/> for every tenant.</summary>
    string? TenantId { get; }

    /// <summary>Returns a view restricted to one tenant: it only sees, changes and creates that tenant's subscriptions.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentException">The tenant id is empty, or this view is already restricted to another tenant.</exception>
    IWebhookSubscriptions ForTenant(string tenantId);

    /// <summary>Creates a subscription. A secret is generated when the request has none.</summary>
    /// <param name="request">The subscription to create.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The subscription, with its id and secret.</returns>
    /// <exception cref="ArgumentException">The URL, an event type filter or a header is not valid; the message quotes it.</exception>
    Task<WebhookSubscription> CreateAsync(WebhookSubscriptionCreateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Gets a subscription.</summary>
    /// <param name="subscriptionId">The id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The subscription, or <see langword="null"/> when there is none (in this view's tenant).</returns>
    Task<WebhookSubscription?> GetAsync(string subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Lists subscriptions, newest first, keyset-paged.</summary>
    /// <param name="query">Filters (event type, enabled) and paging; <see langword="null"/> for the first page of all.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The page.</returns>
    Task<WebhookPage<WebhookSubscription>> ListAsync(WebhookSubscriptionQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Changes a subscription; properties left null in the request keep their value.</summary>
    /// <param name="subscriptionId">The id.</param>
    /// <param name="request">The changes.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The updated subscription, or <see langword="null"/> when there is none.</returns>
    /// <exception cref="ArgumentException">A changed value is not valid.</exception>
    Task<WebhookSubscription?> UpdateAsync(string subscriptionId, WebhookSubscriptionUpdateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Enables a subscription (clearing the reason it was disabled). Deliveries that failed meanwhile can be sent with <see cref="IWebhookDeliveries.RecoverAsync"/>.</summary>
    /// <param name="subscriptionId">The id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The updated subscription, or <see langword="null"/> when there is none.</returns>
    Task<WebhookSubscription?> EnableAsync(string subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Disables a subscription: new messages skip it and its pending deliveries end <see cref="WebhookDeliveryStatus.Failed"/>.</summary>
    /// <param name="subscriptionId">The id.</param>
    /// <param name="reason">Why, for operators.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The updated subscription, or <see langword="null"/> when there is none.</returns>
    Task<WebhookSubscription?> DisableAsync(string subscriptionId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a subscription. Its message log stays; its pending deliveries end <see cref="WebhookDeliveryStatus.Failed"/>.</summary>
    /// <param name="subscriptionId">The id.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns><see langword="false"/> when there was none.</returns>
    Task<bool> DeleteAsync(string subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Rotates the signing secret: the new secret signs from now on, and the current ones keep signing (both
    /// signatures are sent) until the overlap ends, so the endpoint can switch without dropping a message.
    /// </summary>
    /// <param name="subscriptionId">The id.</param>
    /// <param name="newSecret">The new secret; generated when null.</param>
    /// <param name="overlap">How long the current secrets keep signing; <see cref="WebhookSenderOptions.SecretRotationOverlap"/> when null, zero to stop at once.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The updated subscription (the new secret first), or <see langword="null"/> when there is none.</returns>
    Task<WebhookSubscription?> RotateSecretAsync(string subscriptionId, WebhookSecret? newSecret = null, TimeSpan? overlap = null, CancellationToken cancellationToken = default);
}
