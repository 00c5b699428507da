using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Webhooks.Sender;

namespace Webhooks.Management.Internal;

/// <summary>Deliveries: list, get one with its attempts, page its attempts, redeliver.</summary>
internal static class DeliveryRoutes
{
    private const int AttemptsShown = 20;

    public static void Map(RouteGroupBuilder group, ManagementSettings settings)
    {
        group.MapGet("/deliveries", (HttpContext http, string? endpointId, string? messageId, string? status, string? since, string? until, string? tenantId, string? limit, string? after) => ListAsync(http))
            .Describe(settings, "ListDeliveries", "Lists deliveries, newest first.", "Filters: endpointId, messageId, status (Pending, InFlight, Succeeded, Failed), since (inclusive) and until (exclusive) as RFC 3339 timestamps, tenantId (callers that see every tenant). Keyset paging: limit and after.")
            .Produces<PageResponse<DeliveryResponse>>(StatusCodes.Status200OK, ManagementEndpoints.Json);

        group.MapGet("/deliveries/{id}", (HttpContext http, string id) => GetAsync(http, id))
            .Describe(settings, "GetDelivery", "Gets a delivery with its newest attempts.")
            .Produces<DeliveryDetailResponse>(StatusCodes.Status200OK, ManagementEndpoints.Json)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/deliveries/{id}/attempts", (HttpContext http, string id, string? limit, string? after) => ListAttemptsAsync(http, id))
            .Describe(settings, "ListDeliveryAttempts", "Lists a delivery's attempts, newest first.")
            .Produces<PageResponse<AttemptResponse>>(StatusCodes.Status200OK, ManagementEndpoints.Json)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/deliveries/{id}/redeliver", (HttpContext http, string id) => RedeliverAsync(http, id))
            .Describe(settings, "RedeliverDelivery", "Sends the delivery's message to its endpoint again, now, with a fresh retry schedule.")
            .Produces<DeliveryResponse>(StatusCodes.Status202Accepted, ManagementEndpoints.Json)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>202 with the delivery, and its address in <c>Location</c>.</summary>
    public static IResult Accepted(HttpContext http, WebhookDelivery delivery)
    {
        var request = ManagementRequest.Of(http);
        http.Response.Headers.Location = $"{http.Request.PathBase}{request.Settings.Prefix}/deliveries/{Uri.EscapeDataString(delivery.Id)}";
        return TypedResults.Json(new DeliveryResponse(delivery), ManagementJson.Default.DeliveryResponse, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ListAsync(HttpContext http)
    {
        var request = ManagementRequest.Of(http);
        var errors = new ProblemBuilder();
        var query = new QueryString(http, errors, "endpointId", "messageId", "status", "since", "until", "tenantId", "limit", "after");
        var filter = query.Paged(new WebhookDeliveryQuery
        {
            SubscriptionId = query.Id("endpointId"),
            MessageId = query.Id("messageId"),
            Status = query.Status("status"),
            Since = query.Time("since"),
            Until = query.Time("until"),
        }, request);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var page = await request.Deliveries.ListDeliveriesAsync(filter, request.Aborted).ConfigureAwait(false);
        return TypedResults.Json(new PageResponse<DeliveryResponse> { Items = [.. page.Items.Select(static d => new DeliveryResponse(d))], Next = page.ContinuationToken }, ManagementJson.Default.PageResponseDeliveryResponse);
    }

    private static async Task<IResult> GetAsync(HttpContext http, string id)
    {
        var request = ManagementRequest.Of(http);
        if (EndpointRoutes.NoQuery(http) is { } bad)
        {
            return bad;
        }

        var delivery = await request.Deliveries.GetDeliveryAsync(id, request.Aborted).ConfigureAwait(false);
        if (delivery is null)
        {
            return NotFound(id);
        }

        var attempts = await request.Deliveries.ListAttemptsAsync(new() { DeliveryId = id, Limit = AttemptsShown }, request.Aborted).ConfigureAwait(false);
        return TypedResults.Json(new DeliveryDetailResponse(delivery, attempts), ManagementJson.Default.DeliveryDetailResponse);
    }

    private static async Task<IResult> ListAttemptsAsync(HttpContext http, string id)
    {
        var request = ManagementRequest.Of(http);
        var errors = new ProblemBuilder();
        var query = new QueryString(http, errors, "limit", "after");
        var limit = query.Limit(request.Settings.DefaultPageSize);
        var after = query.Cursor();
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        if (await request.Deliveries.GetDeliveryAsync(id, request.Aborted).ConfigureAwait(false) is null)
        {
            return NotFound(id);
        }

        var page = await request.Deliveries.ListAttemptsAsync(new() { DeliveryId = id, Limit = limit, After = after }, request.Aborted).ConfigureAwait(false);
        return TypedResults.Json(new PageResponse<AttemptResponse> { Items = [.. page.Items.Select(AttemptResponse.From)], Next = page.ContinuationToken }, ManagementJson.Default.PageResponseAttemptResponse);
    }

    private static async Task<IResult> RedeliverAsync(HttpContext http, string id)
    {
        var request = ManagementRequest.Of(http);
        if (EndpointRoutes.NoQuery(http) is { } bad)
        {
            return bad;
        }

        var delivery = await request.Deliveries.GetDeliveryAsync(id, request.Aborted).ConfigureAwait(false);
        var redelivered = delivery is null ? null : await request.Deliveries.RedeliverAsync(delivery.MessageId, delivery.SubscriptionId, request.Aborted).ConfigureAwait(false);
        if (redelivered is null)
        {
            return NotFound(id);
        }

        Log.Action(ManagementEndpoints.Logger(http), "redeliver", id, request.Scope.ToString());
        return Accepted(http, redelivered);
    }

    private static IResult NotFound(string id) => Problems.NotFound("delivery", id);
}
