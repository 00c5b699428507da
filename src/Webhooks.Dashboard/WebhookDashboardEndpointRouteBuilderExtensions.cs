using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Webhooks.Dashboard.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Dashboard;

/// <summary>Maps the webhook dashboard (operators) and the webhook portal (one tenant).</summary>
public static class WebhookDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the operator dashboard under <paramref name="pattern"/>: the overview, endpoints, messages and the delivery
    /// attempts of every tenant, with actions (enable, disable, rotate a secret, send a test event, recover, redeliver).
    /// </summary>
    /// <remarks>
    /// Without authorization (neither <c>RequireAuthorization(...)</c> on the returned builder nor a fallback policy),
    /// the dashboard answers only local requests, as Hangfire's does, and says so on every page; set
    /// <see cref="WebhookDashboardOptions.AllowRemoteRequestsWithoutAuthorization"/> to turn that off. Needs
    /// <c>AddWebhookSender()</c> and <c>AddAntiforgery()</c>.
    /// </remarks>
    /// <param name="endpoints">The app.</param>
    /// <param name="pattern">The path prefix, for example <c>/webhooks</c>; route parameters are not supported.</param>
    /// <param name="configure">Configures the options, or <see langword="null"/>.</param>
    /// <returns>The builder of the route group, to chain <c>RequireAuthorization(...)</c> and other conventions.</returns>
    /// <exception cref="InvalidOperationException">The sender or antiforgery is not registered; the message names the call to add.</exception>
    /// <exception cref="ArgumentException">The pattern or an option is not valid.</exception>
    public static IEndpointConventionBuilder MapWebhookDashboard(this IEndpointRouteBuilder endpoints, string pattern = "/webhooks", Action<WebhookDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        DashboardEndpoints.ThrowIfServicesMissing(endpoints, nameof(MapWebhookDashboard));
        var options = new WebhookDashboardOptions();
        configure?.Invoke(options);
        return DashboardEndpoints.Map(endpoints, new DashboardSettings
        {
            Prefix = ValidatePattern(pattern),
            Title = string.IsNullOrWhiteSpace(options.Title) ? "Webhooks" : options.Title,
            ReadOnly = options.ReadOnly,
            PageSize = ValidatePageSize(options.PageSize),
            AllowRemoteRequestsWithoutAuthorization = options.AllowRemoteRequestsWithoutAuthorization,
        });
    }

    /// <summary>
    /// Maps the portal of one tenant under <paramref name="pattern"/>: the same pages, restricted to the tenant that
    /// <see cref="WebhookPortalOptions.ResolveTenant"/> returns for each request (403 when none), where the tenant also
    /// adds, edits and deletes its endpoints. It never shows another tenant's data.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="pattern">The path prefix, for example <c>/portal</c>; route parameters are not supported.</param>
    /// <param name="options">The options; <see cref="WebhookPortalOptions.ResolveTenant"/> is required.</param>
    /// <returns>The builder of the route group, to chain <c>RequireAuthorization(...)</c> and other conventions.</returns>
    /// <exception cref="InvalidOperationException">The sender or antiforgery is not registered; the message names the call to add.</exception>
    /// <exception cref="ArgumentException">The pattern or an option is not valid, or <see cref="WebhookPortalOptions.ResolveTenant"/> is missing.</exception>
    public static IEndpointConventionBuilder MapWebhookPortal(this IEndpointRouteBuilder endpoints, string pattern, WebhookPortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(options);
        DashboardEndpoints.ThrowIfServicesMissing(endpoints, nameof(MapWebhookPortal));
        if (options.ResolveTenant is null)
        {
            throw new ArgumentException("The portal needs WebhookPortalOptions.ResolveTenant: a delegate that returns the tenant of a request (for example from a claim).", nameof(options));
        }

        return DashboardEndpoints.Map(endpoints, new DashboardSettings
        {
            Prefix = ValidatePattern(pattern),
            Title = string.IsNullOrWhiteSpace(options.Title) ? "Webhooks" : options.Title,
            ReadOnly = options.ReadOnly,
            PageSize = ValidatePageSize(options.PageSize),
            ResolveTenant = options.ResolveTenant,
            EventTypes = [.. options.EventTypes],
        });
    }

    private static string ValidatePattern(string pattern)
    {
        var trimmed = "/" + pattern.Trim().Trim('/');
        return trimmed.Contains('{', StringComparison.Ordinal) || trimmed.Contains('*', StringComparison.Ordinal)
            ? throw new ArgumentException($"The dashboard path '{pattern}' has a route parameter; use a fixed path such as '/webhooks'.", nameof(pattern))
            : trimmed == "/" ? string.Empty : trimmed;
    }

    private static int ValidatePageSize(int pageSize) => pageSize is >= 1 and <= WebhookQuery.MaxLimit
        ? pageSize
        : throw new ArgumentException($"The page size {pageSize} is not between 1 and {WebhookQuery.MaxLimit}.", nameof(pageSize));
}
