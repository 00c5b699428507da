using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Sender;

namespace Webhooks.Management.Internal;

/// <summary>The event-type catalog (<see cref="IWebhookEventCatalog"/>) with a JSON Schema per payload type.</summary>
internal static class EventTypeRoutes
{
    private static readonly JsonSchemaExporterOptions SchemaOptions = new() { TreatNullObliviousAsNonNullable = true };

    public static void Map(RouteGroupBuilder group, ManagementSettings settings)
    {
        group.MapGet("/event-types", (Func<HttpContext, IResult>)List)
            .Describe(settings, "ListEventTypes", "Lists the event types an endpoint can subscribe to, each with the JSON Schema of its payload.")
            .Produces<EventTypeListResponse>(StatusCodes.Status200OK, ManagementEndpoints.Json);

        group.MapGet("/event-types/{eventType}", (HttpContext http, string eventType) => Get(http, eventType))
            .Describe(settings, "GetEventType", "Gets one event type with the JSON Schema of its payload.")
            .Produces<EventTypeResponse>(StatusCodes.Status200OK, ManagementEndpoints.Json)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult List(HttpContext http)
    {
        if (EndpointRoutes.NoQuery(http) is { } bad)
        {
            return bad;
        }

        var catalog = http.RequestServices.GetRequiredService<IWebhookEventCatalog>();
        return TypedResults.Json(new EventTypeListResponse { Items = [.. catalog.EventTypes.Select(From)] }, ManagementJson.Default.EventTypeListResponse);
    }

    private static IResult Get(HttpContext http, string eventType)
    {
        if (EndpointRoutes.NoQuery(http) is { } bad)
        {
            return bad;
        }

        var definition = http.RequestServices.GetRequiredService<IWebhookEventCatalog>().Find(eventType);
        return definition is null
            ? Problems.NotFound("event type", eventType)
            : TypedResults.Json(From(definition), ManagementJson.Default.EventTypeResponse);
    }

    private static EventTypeResponse From(WebhookEventDefinition definition) => new()
    {
        EventType = definition.EventType,
        Description = definition.Description,
        Schema = Schema(definition),
    };

    // The schema is produced from the payload's JsonTypeInfo (no reflection of our own), so it describes exactly what
    // the publisher writes: the same names, converters and number handling.
    private static JsonNode? Schema(WebhookEventDefinition definition) =>
        definition.PayloadTypeInfo is { } typeInfo ? JsonSchemaExporter.GetJsonSchemaAsNode(typeInfo, SchemaOptions) : null;
}
