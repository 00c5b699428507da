using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Core.Events;
using Webhooks.Sender;

namespace Webhooks.Management.Internal;

/// <summary>Messages: list, get one with its payload, and (when enabled) publish.</summary>
internal static class MessageRoutes
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int MaxIdempotencyKeyLength = 256;

    public static void Map(RouteGroupBuilder group, ManagementSettings settings, bool enablePublish)
    {
        group.MapGet("/messages", (HttpContext http, string? eventType, string? since, string? until, string? tenantId, string? limit, string? after) => ListAsync(http))
            .Describe(settings, "ListMessages", "Lists messages (published events), newest first.", "Filters: eventType (exact), since (inclusive) and until (exclusive) as RFC 3339 timestamps, tenantId (callers that see every tenant). Keyset paging: limit and after.")
            .Produces<PageResponse<MessageResponse>>(StatusCodes.Status200OK, ManagementEndpoints.Json);

        group.MapGet("/messages/{id}", (HttpContext http, string id) => GetAsync(http, id))
            .Describe(settings, "GetMessage", "Gets a message with its payload, the envelope exactly as sent.")
            .Produces<MessageResponse>(StatusCodes.Status200OK, ManagementEndpoints.Json)
            .ProducesProblem(StatusCodes.Status404NotFound);

        if (enablePublish)
        {
            group.MapJson<PublishRequest>("POST", "/messages", (HttpContext http, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey) => PublishAsync(http))
                .Describe(settings, "PublishMessage", "Publishes an event to every matching endpoint of the tenant.", "An Idempotency-Key header makes the call idempotent: the same key (per tenant) publishes once and answers the first message's id.")
                .Produces<PublishResponse>(StatusCodes.Status202Accepted, ManagementEndpoints.Json);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext http)
    {
        var request = ManagementRequest.Of(http);
        var errors = new ProblemBuilder();
        var query = new QueryString(http, errors, "eventType", "since", "until", "tenantId", "limit", "after");
        var filter = query.Paged(new WebhookMessageQuery
        {
            EventType = query.EventType("eventType"),
            Since = query.Time("since"),
            Until = query.Time("until"),
        }, request);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var page = await request.Deliveries.ListMessagesAsync(filter, request.Aborted).ConfigureAwait(false);
        return TypedResults.Json(new PageResponse<MessageResponse> { Items = [.. page.Items.Select(static m => MessageResponse.From(m, withPayload: false))], Next = page.ContinuationToken }, ManagementJson.Default.PageResponseMessageResponse);
    }

    private static async Task<IResult> GetAsync(HttpContext http, string id)
    {
        var request = ManagementRequest.Of(http);
        if (EndpointRoutes.NoQuery(http) is { } bad)
        {
            return bad;
        }

        var message = await request.Deliveries.GetMessageAsync(id, request.Aborted).ConfigureAwait(false);
        return message is null
            ? Problems.NotFound("message", id)
            : TypedResults.Json(MessageResponse.From(message, withPayload: true), ManagementJson.Default.MessageResponse);
    }

    private static async Task<IResult> PublishAsync(HttpContext http)
    {
        var request = ManagementRequest.Of(http);
        var errors = new ProblemBuilder();
        _ = new QueryString(http, errors);
        var keys = http.Request.Headers[IdempotencyKeyHeader];
        string? idempotencyKey = null;
        if (keys.Count > 1)
        {
            errors.Add(IdempotencyKeyHeader, "Give this header once.");
        }
        else if (keys.Count == 1)
        {
            idempotencyKey = keys[0];
            if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > MaxIdempotencyKeyLength || idempotencyKey.Any(char.IsControl))
            {
                errors.Add(IdempotencyKeyHeader, $"The idempotency key must be 1 to {MaxIdempotencyKeyLength} printable characters.");
            }
        }

        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var body = await RequestBody.ReadAsync(http, ManagementJson.Default.PublishRequest, request.Settings.MaxRequestBodySize).ConfigureAwait(false);
        if (body.Value is not { } value)
        {
            return body.Error!;
        }

        var tenant = request.Tenant(value.TenantId, "$.tenantId", errors);
        if (string.IsNullOrWhiteSpace(value.EventType))
        {
            errors.Add("$.eventType", "Give the event type, such as 'order.created'.");
        }
        else if (!WebhookEventType.IsValid(value.EventType))
        {
            errors.Add("$.eventType", $"The event type '{Problems.Quote(value.EventType)}' is not valid; use full-stop delimited segments of ASCII letters, digits and underscores, such as 'order.created'.");
        }

        if (value.Data.ValueKind is System.Text.Json.JsonValueKind.Undefined or System.Text.Json.JsonValueKind.Null)
        {
            errors.Add("$.data", "Give the event's payload as a JSON value, such as {\"orderId\":42}.");
        }

        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var publisher = http.RequestServices.GetRequiredService<IWebhookPublisher>();
        var messageId = await publisher.PublishAsync(value.EventType!, value.Data, ManagementJson.Default.JsonElement, new WebhookPublishOptions { TenantId = tenant, IdempotencyKey = idempotencyKey }, request.Aborted).ConfigureAwait(false);
        http.Response.Headers.Location = $"{http.Request.PathBase}{request.Settings.Prefix}/messages/{Uri.EscapeDataString(messageId)}";
        return TypedResults.Json(new PublishResponse { MessageId = messageId }, ManagementJson.Default.PublishResponse, statusCode: StatusCodes.Status202Accepted);
    }
}
