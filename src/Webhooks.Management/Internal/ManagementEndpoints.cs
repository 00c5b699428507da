using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Webhooks.Management.Internal;

/// <summary>Maps the routes into one group, with the scope filter and the OpenAPI metadata every route shares.</summary>
internal static class ManagementEndpoints
{
    public const string Json = "application/json";

    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string prefix, ManagementSettings settings, bool enablePublish)
    {
        var group = endpoints.MapGroup(prefix);
        group.WithTags("Webhooks");
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var request = await ManagementRequest.StartAsync(http, settings).ConfigureAwait(false);
            if (request is null)
            {
                Log.ScopeDenied(Logger(http), http.Request.Path);
                return Problems.Forbidden();
            }

            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (ArgumentException ex) when (!http.Response.HasStarted)
            {
                // A value the routes did not check themselves, refused by the sender's services: still the caller's input.
                Log.InputRefused(Logger(http), http.Request.Path, ex.ParamName);
                return Problems.Field("$", ex.Message);
            }
        });

        EndpointRoutes.Map(group, settings);
        MessageRoutes.Map(group, settings, enablePublish);
        DeliveryRoutes.Map(group, settings);
        EventTypeRoutes.Map(group, settings);
        return group;
    }

    /// <summary>The metadata every route carries: its name (the OpenAPI operation id), summary and the shared problem answers.</summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder route, ManagementSettings settings, string name, string summary, string? description = null)
    {
        route.WithName(settings.NamePrefix + name)
            .WithSummary(summary)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        if (description is not null)
        {
            route.WithDescription(description);
        }

        return route;
    }

    /// <summary>
    /// Maps a route with a JSON body: documented with its request type and the answers to a body too large or not JSON.
    /// </summary>
    /// <remarks>
    /// The documented route's content-type metadata makes the router refuse any other content type with a bare 415. So a
    /// twin of the route, with the same handler, no content-type metadata and a later order, takes those requests, and
    /// the handler answers 415 with problem details; the twin is left out of the OpenAPI document.
    /// </remarks>
    public static RouteHandlerBuilder MapJson<TRequest>(this RouteGroupBuilder group, string method, string pattern, Delegate handler, bool optional = false)
        where TRequest : notnull
    {
        group.MapMethods(pattern, [method], handler).ExcludeFromDescription().WithOrder(1);
        return group.MapMethods(pattern, [method], handler)
            .Accepts<TRequest>(optional, Json)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    public static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Webhooks.Management") ?? NullLogger.Instance;
}
