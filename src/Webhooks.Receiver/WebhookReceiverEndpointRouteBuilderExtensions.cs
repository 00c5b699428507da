using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver;

/// <summary>Maps webhook receivers to routes.</summary>
public static class WebhookReceiverEndpointRouteBuilderExtensions
{
    /// <summary>Maps the default webhook receiver (added with <c>AddWebhookReceiver()</c>) to a route that accepts POST.</summary>
    /// <param name="endpoints">The route builder (the app).</param>
    /// <param name="pattern">The route pattern, for example <c>/webhooks</c>.</param>
    /// <returns>A builder to add conventions such as <c>RequireRateLimiting</c>.</returns>
    /// <exception cref="InvalidOperationException"><c>AddWebhookReceiver</c> was not called.</exception>
    public static IEndpointConventionBuilder MapWebhookReceiver(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern) =>
        MapWebhookReceiver(endpoints, pattern, Options.DefaultName);

    /// <summary>Maps a named webhook receiver (added with <c>AddWebhookReceiver(name, ...)</c>) to a route that accepts POST.</summary>
    /// <param name="endpoints">The route builder (the app).</param>
    /// <param name="pattern">The route pattern, for example <c>/webhooks/github</c>.</param>
    /// <param name="name">The receiver's name.</param>
    /// <returns>A builder to add conventions such as <c>RequireRateLimiting</c>.</returns>
    /// <exception cref="InvalidOperationException">No receiver of that name was added.</exception>
    public static IEndpointConventionBuilder MapWebhookReceiver(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern, string name)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(name);

        var registry = endpoints.ServiceProvider.GetService<WebhookReceiverRegistry>()
            ?? throw new InvalidOperationException(
                "Unable to find the webhook receiver services. Call 'builder.Services.AddWebhookReceiver(...)' before 'app.MapWebhookReceiver(...)'.");

        if (!registry.TryGet(name, out var definition))
        {
            var added = string.Join(", ", registry.Names.Select(n => n.Length == 0 ? "(default)" : $"'{n}'"));
            var call = name.Length == 0 ? "AddWebhookReceiver(...)" : $"AddWebhookReceiver(\"{name}\", ...)";
            throw new InvalidOperationException(
                $"No webhook receiver named '{name}' was added. Call 'builder.Services.{call}' before mapping it. Receivers added: {added}.");
        }

        var endpoint = new WebhookReceiverEndpoint(definition, endpoints.ServiceProvider);
        return endpoints.Map(pattern, endpoint.HandleAsync)
            .WithDisplayName(name.Length == 0 ? "Webhook receiver" : $"Webhook receiver '{name}'");
    }
}
