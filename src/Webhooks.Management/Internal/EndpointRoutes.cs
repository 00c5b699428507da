using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Webhooks.Core;
using Webhooks.Sender;

namespace Webhooks.Management.Internal;

/// <summary>Endpoints (subscriptions): CRUD, enable and disable, secret rotation, test event, recovery.</summary>
internal static class EndpointRoutes
{
    private const int MaxReasonLength = 500;

    public static void Map(RouteGroupBuilder group, ManagementSettings settings)
    {
        group.MapGet("/endpoints", (HttpContext http, string? enabled, string? eventType, string? tenantId, string? limit, string? after) => ListAsync(http))
            .Describe(settings, "ListEndpoints", "Lists endpoints, newest first.", "Filters: enabled (true or false), eventType (endpoints that would receive it), tenantId (callers that see every tenant). Keyset paging: limit (1 to 1000) and after (the previous page's next).")
            .Produces<PageResponse<EndpointResponse>>(StatusCodes.Status200OK, ManagementEndpoints.Json);

        group.MapJson<CreateEndpointRequest>("POST", "/endpoints", (Func<HttpContext, Task<IResult>>)CreateAsync)
            .Describe(settings, "CreateEndpoint", "Creates an endpoint; the answer shows its signing secret, once.")
            .Produces<EndpointWithSecretResponse>(StatusCodes.Status201Created, ManagementEndpoints.Json);

        group.MapGet("/endpoints/{id}", (HttpContext http, string id) => GetAsync(http, id))
            .Describe(settings, "GetEndpoint", "Gets an endpoint (never its secret).")
            .Produces<EndpointResponse>(StatusCodes.Status200OK, ManagementEndpoints.Json)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapJson<UpdateEndpointRequest>("PATCH", "/endpoints/{id}", (HttpContext http, string id) => UpdateAsync(http, id))
            .Describe(settings, "UpdateEndpoint", "Changes an endpoint; members left out keep their value.")
            .Produces<EndpointResponse>(StatusCodes.Status200OK, ManagementEndpoints.Json)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/endpoints/{id}", (HttpContext http, string id) => DeleteAsync(http, id))
            .Describe(settings, "DeleteEndpoint", "Deletes an endpoint; its message log stays and its pending deliveries fail.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/endpoints/{id}/enable", (HttpContext http, string id) => EnableAsync(http, id))
            .Describe(settings, "EnableEndpoint", "Enables an endpoint.")
            .Produces<EndpointResponse>(StatusCodes.Status200OK, ManagementEndpoints.Json)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapJson<DisableEndpointRequest>("POST", "/endpoints/{id}/disable", (HttpContext http, string id) => DisableAsync(http, id), optional: true)
            .Describe(settings, "DisableEndpoint", "Disables an endpoint: new messages skip it and its pending deliveries fail.")
            .Produces<EndpointResponse>(StatusCodes.Status200OK, ManagementEndpoints.Json)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapJson<RotateSecretRequest>("POST", "/endpoints/{id}/secret/rotate", (HttpContext http, string id) => RotateAsync(http, id), optional: true)
            .Describe(settings, "RotateEndpointSecret", "Rotates the signing secret; the answer shows the new secret, once, and the old one keeps signing until the overlap ends.")
            .Produces<EndpointWithSecretResponse>(StatusCodes.Status200OK, ManagementEndpoints.Json)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/endpoints/{id}/test", (HttpContext http, string id) => TestAsync(http, id))
            .Describe(settings, "SendTestEvent", "Sends a webhook.test event to this endpoint only.")
            .Produces<DeliveryResponse>(StatusCodes.Status202Accepted, ManagementEndpoints.Json)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapJson<RecoverRequest>("POST", "/endpoints/{id}/recover", (HttpContext http, string id) => RecoverAsync(http, id))
            .Describe(settings, "RecoverEndpoint", "Sends again every failed delivery of this endpoint created since a time.")
            .Produces<RecoverResponse>(StatusCodes.Status202Accepted, ManagementEndpoints.Json)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(HttpContext http)
    {
        var request = ManagementRequest.Of(http);
        var errors = new ProblemBuilder();
        var query = new QueryString(http, errors, "enabled", "eventType", "tenantId", "limit", "after");
        var filter = query.Paged(new WebhookSubscriptionQuery
        {
            Enabled = query.Boolean("enabled"),
            EventType = query.EventType("eventType"),
        }, request);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var page = await request.Subscriptions.ListAsync(filter, request.Aborted).ConfigureAwait(false);
        return TypedResults.Json(new PageResponse<EndpointResponse> { Items = [.. page.Items.Select(static s => new EndpointResponse(s))], Next = page.ContinuationToken }, ManagementJson.Default.PageResponseEndpointResponse);
    }

    private static async Task<IResult> CreateAsync(HttpContext http)
    {
        var request = ManagementRequest.Of(http);
        var body = await RequestBody.ReadAsync(http, ManagementJson.Default.CreateEndpointRequest, request.Settings.MaxRequestBodySize).ConfigureAwait(false);
        if (body.Value is not { } value)
        {
            return body.Error!;
        }

        var errors = new ProblemBuilder();
        var tenant = request.Tenant(value.TenantId, "$.tenantId", errors);
        Uri? url = null;
        if (string.IsNullOrWhiteSpace(value.Url))
        {
            errors.Add("$.url", "Give the endpoint's absolute http or https URL.");
        }
        else
        {
            url = Url(value.Url, errors);
        }

        var secret = Secret(value.Secret, "$.secret", errors);
        if (errors.HasErrors || url is null)
        {
            return errors.ToResult();
        }

        WebhookSubscription created;
        try
        {
            created = await request.Subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest(url)
            {
                TenantId = tenant,
                EventTypes = value.EventTypes ?? [],
                Description = value.Description,
                Secret = secret,
                Metadata = value.Metadata,
                Headers = value.Headers,
                RateLimitPerSecond = value.RateLimitPerSecond,
                Enabled = value.Enabled ?? true,
            }, request.Aborted).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            return Refused(ex);
        }

        Audit(request, "create endpoint", created.Id);
        http.Response.Headers.Location = $"{http.Request.PathBase}{request.Settings.Prefix}/endpoints/{Uri.EscapeDataString(created.Id)}";
        return TypedResults.Json(new EndpointWithSecretResponse(created, created.Secrets[0].Secret), ManagementJson.Default.EndpointWithSecretResponse, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(HttpContext http, string id)
    {
        var request = ManagementRequest.Of(http);
        if (NoQuery(http) is { } bad)
        {
            return bad;
        }

        var subscription = await request.Subscriptions.GetAsync(id, request.Aborted).ConfigureAwait(false);
        return subscription is null ? NotFound(id) : Ok(subscription);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string id)
    {
        var request = ManagementRequest.Of(http);
        var body = await RequestBody.ReadAsync(http, ManagementJson.Default.UpdateEndpointRequest, request.Settings.MaxRequestBodySize).ConfigureAwait(false);
        if (body.Value is not { } value)
        {
            return body.Error!;
        }

        var errors = new ProblemBuilder();
        var url = value.Url is null ? null : Url(value.Url, errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        WebhookSubscription? updated;
        try
        {
            updated = await request.Subscriptions.UpdateAsync(id, new WebhookSubscriptionUpdateRequest
            {
                Url = url,
                EventTypes = value.EventTypes,
                Description = value.Description,
                Metadata = value.Metadata,
                Headers = value.Headers,
                RateLimitPerSecond = value.RateLimitPerSecond,
            }, request.Aborted).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            return Refused(ex);
        }

        if (updated is null)
        {
            return NotFound(id);
        }

        Audit(request, "update endpoint", id);
        return Ok(updated);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string id)
    {
        var request = ManagementRequest.Of(http);
        if (NoQuery(http) is { } bad)
        {
            return bad;
        }

        if (!await request.Subscriptions.DeleteAsync(id, request.Aborted).ConfigureAwait(false))
        {
            return NotFound(id);
        }

        Audit(request, "delete endpoint", id);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> EnableAsync(HttpContext http, string id)
    {
        var request = ManagementRequest.Of(http);
        if (NoQuery(http) is { } bad)
        {
            return bad;
        }

        var enabled = await request.Subscriptions.EnableAsync(id, request.Aborted).ConfigureAwait(false);
        if (enabled is null)
        {
            return NotFound(id);
        }

        Audit(request, "enable endpoint", id);
        return Ok(enabled);
    }

    private static async Task<IResult> DisableAsync(HttpContext http, string id)
    {
        var request = ManagementRequest.Of(http);
        var body = await RequestBody.ReadAsync(http, ManagementJson.Default.DisableEndpointRequest, request.Settings.MaxRequestBodySize, optional: true).ConfigureAwait(false);
        if (body.Error is { } error)
        {
            return error;
        }

        var reason = body.Value?.Reason;
        if (reason is { Length: > MaxReasonLength })
        {
            return Problems.Field("$.reason", $"The reason is over {MaxReasonLength} characters.");
        }

        var disabled = await request.Subscriptions.DisableAsync(id, string.IsNullOrWhiteSpace(reason) ? "Disabled through the management API" : reason, request.Aborted).ConfigureAwait(false);
        if (disabled is null)
        {
            return NotFound(id);
        }

        Audit(request, "disable endpoint", id);
        return Ok(disabled);
    }

    private static async Task<IResult> RotateAsync(HttpContext http, string id)
    {
        var request = ManagementRequest.Of(http);
        var body = await RequestBody.ReadAsync(http, ManagementJson.Default.RotateSecretRequest, request.Settings.MaxRequestBodySize, optional: true).ConfigureAwait(false);
        if (body.Error is { } error)
        {
            return error;
        }

        var errors = new ProblemBuilder();
        var secret = Secret(body.Value?.Secret, "$.secret", errors) ?? WebhookSecret.Generate();
        TimeSpan? overlap = null;
        if (body.Value?.OverlapSeconds is { } seconds)
        {
            if (seconds is < 0 or > 30 * 24 * 3600)
            {
                errors.Add("$.overlapSeconds", "Give the overlap in seconds, from 0 to 2592000 (30 days).");
            }
            else
            {
                overlap = TimeSpan.FromSeconds(seconds);
            }
        }

        if (errors.HasErrors)
        {
            return errors.ToResult();
        }

        var rotated = await request.Subscriptions.RotateSecretAsync(id, secret, overlap, request.Aborted).ConfigureAwait(false);
        if (rotated is null)
        {
            return NotFound(id);
        }

        Audit(request, "rotate endpoint secret", id);
        return TypedResults.Json(new EndpointWithSecretResponse(rotated, secret), ManagementJson.Default.EndpointWithSecretResponse);
    }

    private static async Task<IResult> TestAsync(HttpContext http, string id)
    {
        var request = ManagementRequest.Of(http);
        if (NoQuery(http) is { } bad)
        {
            return bad;
        }

        var delivery = await request.Deliveries.SendTestAsync(id, request.Aborted).ConfigureAwait(false);
        if (delivery is null)
        {
            return NotFound(id);
        }

        Audit(request, "send test event", id);
        return DeliveryRoutes.Accepted(http, delivery);
    }

    private static async Task<IResult> RecoverAsync(HttpContext http, string id)
    {
        var request = ManagementRequest.Of(http);
        var body = await RequestBody.ReadAsync(http, ManagementJson.Default.RecoverRequest, request.Settings.MaxRequestBodySize).ConfigureAwait(false);
        if (body.Value is not { } value)
        {
            return body.Error!;
        }

        if (value.Since is not { } since)
        {
            return Problems.Field("$.since", "Give the earliest delivery creation time, an RFC 3339 timestamp such as 2026-01-31T14:00:00Z.");
        }

        // RecoverAsync answers 0 for an endpoint out of scope; look it up so such an id answers 404 like any other route.
        if (await request.Subscriptions.GetAsync(id, request.Aborted).ConfigureAwait(false) is null)
        {
            return NotFound(id);
        }

        var count = await request.Deliveries.RecoverAsync(id, since, request.Aborted).ConfigureAwait(false);
        Audit(request, "recover endpoint", id);
        return TypedResults.Json(new RecoverResponse { Count = count }, ManagementJson.Default.RecoverResponse, statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult Ok(WebhookSubscription subscription) =>
        TypedResults.Json(new EndpointResponse(subscription), ManagementJson.Default.EndpointResponse);

    private static IResult NotFound(string id) => Problems.NotFound("endpoint", id);

    /// <summary>Routes that take no query parameters refuse any.</summary>
    internal static IResult? NoQuery(HttpContext http)
    {
        var errors = new ProblemBuilder();
        _ = new QueryString(http, errors);
        return errors.HasErrors ? errors.ToResult() : null;
    }

    private static Uri? Url(string text, ProblemBuilder errors)
    {
        if (text.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            return url;
        }

        errors.Add("$.url", $"'{Problems.Quote(text)}' is not an absolute URL; give a full http or https URL such as https://example.com/webhooks.");
        return null;
    }

    private static WebhookSecret? Secret(string? text, string field, ProblemBuilder errors)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return WebhookSecret.Parse(text);
        }
        catch (FormatException)
        {
            // The secret's text is not echoed back.
            errors.Add(field, "The secret is not valid; give 'whsec_' followed by the base64 of 24 to 64 random bytes, or leave it out to have one generated.");
            return null;
        }
    }

    /// <summary>A value the sender refused (a URL the SSRF policy blocks, an event type filter, a header): the message names it.</summary>
    private static IResult Refused(ArgumentException ex) => Problems.Field(
        ex.ParamName switch
        {
            "url" => "$.url",
            "eventTypes" => "$.eventTypes",
            "headers" => "$.headers",
            "rateLimit" => "$.rateLimitPerSecond",
            "metadata" => "$.metadata",
            _ => "$",
        },
        ex is ArgumentOutOfRangeException ? ex.Message.Split('\n')[0] : ex.Message);

    private static void Audit(ManagementRequest request, string action, string target) =>
        Log.Action(ManagementEndpoints.Logger(request.Http), action, target, request.Scope.ToString());
}
