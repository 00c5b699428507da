using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Management.Internal;
using Webhooks.Sender;

namespace Webhooks.Management;

/// <summary>Maps the webhook sender's HTTP API.</summary>
public static class WebhookManagementEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the management API under <paramref name="prefix"/>: endpoints (subscriptions) with secret rotation, test
    /// events and recovery; messages and deliveries with keyset paging and redelivery; the event-type catalog with a
    /// JSON Schema per type; and, when <see cref="WebhookManagementOptions.EnablePublish"/> is set, publishing. Every
    /// route carries its name, summary, request and response types and problem answers for the app's OpenAPI generator.
    /// </summary>
    /// <remarks>
    /// The API has no authentication of its own: chain <c>RequireAuthorization(...)</c> on the returned group. Without
    /// <see cref="WebhookManagementOptions.ResolveScope"/> every caller sees every tenant; with it, a caller restricted to
    /// one tenant sees and changes only that tenant's data, and another tenant's ids answer 404. Errors are RFC 9457
    /// problem details; bad input is 400 with an <c>errors</c> map keyed by the JSON path or parameter name.
    /// </remarks>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">The path prefix, for example <c>/api/webhooks</c>; route parameters are not supported.</param>
    /// <param name="configure">Configures the options, or <see langword="null"/>.</param>
    /// <returns>The route group, to chain <c>RequireAuthorization(...)</c>, rate limiting and other conventions.</returns>
    /// <exception cref="InvalidOperationException">The webhook sender is not registered; the message names the call to add.</exception>
    /// <exception cref="ArgumentException">The prefix or an option is not valid; the message quotes it.</exception>
    public static RouteGroupBuilder MapWebhookManagementApi(this IEndpointRouteBuilder endpoints, string prefix, Action<WebhookManagementOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<IWebhookSubscriptions>() is null || endpoints.ServiceProvider.GetService<IWebhookDeliveries>() is null)
        {
            throw new InvalidOperationException($"{nameof(MapWebhookManagementApi)} needs the webhook sender's services. Call builder.Services.AddWebhookSender(...) before building the app.");
        }

        var options = new WebhookManagementOptions();
        configure?.Invoke(options);
        var trimmed = "/" + prefix.Trim().Trim('/');
        if (trimmed.Contains('{', StringComparison.Ordinal) || trimmed.Contains('*', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The management API path '{prefix}' has a route parameter; use a fixed path such as '/api/webhooks'.", nameof(prefix));
        }

        if (options.MaxRequestBodySize is < 1 or > WebhookManagementOptions.MaxRequestBodySizeLimit)
        {
            throw new ArgumentException($"MaxRequestBodySize {options.MaxRequestBodySize} is not between 1 and {WebhookManagementOptions.MaxRequestBodySizeLimit} bytes.", nameof(configure));
        }

        if (options.DefaultPageSize is < 1 or > WebhookQuery.MaxLimit)
        {
            throw new ArgumentException($"DefaultPageSize {options.DefaultPageSize} is not between 1 and {WebhookQuery.MaxLimit}.", nameof(configure));
        }

        if (options.EndpointNamePrefix is null || options.EndpointNamePrefix.Any(static c => !char.IsAsciiLetterOrDigit(c) && c != '_'))
        {
            throw new ArgumentException($"EndpointNamePrefix '{options.EndpointNamePrefix}' must be ASCII letters, digits or underscores (it starts every OpenAPI operation id).", nameof(configure));
        }

        var path = trimmed == "/" ? string.Empty : trimmed;
        return ManagementEndpoints.Map(endpoints, trimmed, new ManagementSettings
        {
            Prefix = path,
            ResolveScope = options.ResolveScope,
            MaxRequestBodySize = options.MaxRequestBodySize,
            DefaultPageSize = options.DefaultPageSize,
            NamePrefix = options.EndpointNamePrefix,
        }, options.EnablePublish);
    }
}
