using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Webhooks.Core;
using Webhooks.Sender;

namespace Webhooks.Management.Internal;

// The wire contracts of the API. Names are camelCase, enums are strings, times are RFC 3339. Requests reject
// unknown members (ManagementJson). The enum converters are on the properties so that the app's own OpenAPI generator,
// which reads the app's JSON options, documents them as strings too.

/// <summary>The body of <c>POST /endpoints</c>.</summary>
internal sealed class CreateEndpointRequest
{
    /// <summary>The endpoint URL, absolute http or https. Required.</summary>
    public string? Url { get; init; }

    /// <summary>Event type filters (<c>order.created</c>, <c>order.*</c>); none or empty for every event type.</summary>
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>A free-text description.</summary>
    public string? Description { get; init; }

    /// <summary>The signing secret (<c>whsec_...</c>); generated when absent.</summary>
    public string? Secret { get; init; }

    /// <summary>Application metadata, never sent.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Custom headers sent with every request.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The maximum requests per second to the endpoint.</summary>
    public int? RateLimitPerSecond { get; init; }

    /// <summary>Whether the endpoint starts enabled; true when absent.</summary>
    public bool? Enabled { get; init; }

    /// <summary>The tenant (callers that see every tenant only; a tenant's own requests create in their tenant).</summary>
    public string? TenantId { get; init; }
}

/// <summary>The body of <c>PATCH /endpoints/{id}</c>; absent members keep their value.</summary>
internal sealed class UpdateEndpointRequest
{
    /// <summary>The new endpoint URL.</summary>
    public string? Url { get; init; }

    /// <summary>The new event type filters (empty for every event type).</summary>
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>The new description.</summary>
    public string? Description { get; init; }

    /// <summary>The new metadata (replaces all of it).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>The new custom headers (replaces all of them).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The new rate limit.</summary>
    public int? RateLimitPerSecond { get; init; }
}

/// <summary>The optional body of <c>POST /endpoints/{id}/disable</c>.</summary>
internal sealed class DisableEndpointRequest
{
    /// <summary>Why, for operators (at most 500 characters).</summary>
    public string? Reason { get; init; }
}

/// <summary>The optional body of <c>POST /endpoints/{id}/secret/rotate</c>.</summary>
internal sealed class RotateSecretRequest
{
    /// <summary>The new secret (<c>whsec_...</c>); generated when absent.</summary>
    public string? Secret { get; init; }

    /// <summary>How many seconds the current secrets keep signing; the sender's default when absent, 0 to stop at once.</summary>
    public int? OverlapSeconds { get; init; }
}

/// <summary>The body of <c>POST /endpoints/{id}/recover</c>.</summary>
internal sealed class RecoverRequest
{
    /// <summary>The earliest delivery creation time (RFC 3339). Required.</summary>
    public DateTimeOffset? Since { get; init; }
}

/// <summary>The body of <c>POST /messages</c>.</summary>
internal sealed class PublishRequest
{
    /// <summary>The event type, for example <c>order.created</c>. Required.</summary>
    public string? EventType { get; init; }

    /// <summary>The payload (the envelope's <c>data</c>), any JSON value but null. Required.</summary>
    public JsonElement Data { get; init; }

    /// <summary>The tenant (callers that see every tenant only).</summary>
    public string? TenantId { get; init; }
}

/// <summary>An endpoint (subscription) as the API shows it: never its secrets, and only the names of its custom headers.</summary>
internal class EndpointResponse
{
    public EndpointResponse(WebhookSubscription s)
    {
        Id = s.Id;
        TenantId = s.TenantId;
        Url = s.Url.ToString();
        Description = s.Description;
        EventTypes = s.EventTypes;
        Enabled = s.Enabled;
        DisabledReason = s.DisabledReason;
        Metadata = s.Metadata;
        HeaderNames = [.. s.Headers.Keys];
        RateLimitPerSecond = s.RateLimitPerSecond;
        CreatedAt = s.CreatedAt;
        UpdatedAt = s.UpdatedAt;
    }

    public string Id { get; }

    public string? TenantId { get; }

    public string Url { get; }

    public string? Description { get; }

    public IReadOnlyList<string> EventTypes { get; }

    public bool Enabled { get; }

    public string? DisabledReason { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IReadOnlyList<string> HeaderNames { get; }

    public int? RateLimitPerSecond { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset UpdatedAt { get; }
}

/// <summary>An endpoint with its newest secret: the answer to its creation and to a rotation, the only times the secret is shown.</summary>
internal sealed class EndpointWithSecretResponse(WebhookSubscription s, WebhookSecret secret) : EndpointResponse(s)
{
    /// <summary>The signing secret (<c>whsec_...</c>). Shown once: store it now.</summary>
    public string Secret { get; } = secret.RevealEncoded();
}

/// <summary>One page of a list, newest first; pass <see cref="Next"/> as <c>after</c> for the next page.</summary>
internal sealed class PageResponse<T>
{
    public required IReadOnlyList<T> Items { get; init; }

    public string? Next { get; init; }
}

/// <summary>A message (a published event).</summary>
internal sealed class MessageResponse
{
    public required string Id { get; init; }

    public string? TenantId { get; init; }

    public required string EventType { get; init; }

    public string? IdempotencyKey { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The envelope exactly as sent (<c>type</c>, <c>timestamp</c>, <c>data</c>); in the answer for one message only.</summary>
    public JsonElement? Payload { get; init; }

    public static MessageResponse From(WebhookMessage m, bool withPayload) => new()
    {
        Id = m.Id,
        TenantId = m.TenantId,
        EventType = m.EventType,
        IdempotencyKey = m.IdempotencyKey,
        CreatedAt = m.CreatedAt,
        Payload = withPayload ? ReadPayload(m.Payload) : null,
    };

    // The stored bytes are the envelope the publisher wrote; anything that does not parse is left out rather than failing the page.
    private static JsonElement? ReadPayload(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One message on its way to one endpoint.</summary>
internal class DeliveryResponse
{
    public DeliveryResponse(WebhookDelivery d)
    {
        Id = d.Id;
        MessageId = d.MessageId;
        EndpointId = d.SubscriptionId;
        TenantId = d.TenantId;
        EventType = d.EventType;
        Status = d.Status;
        AttemptCount = d.AttemptCount;
        NextAttemptAt = d.NextAttemptAt;
        LastAttemptAt = d.LastAttemptAt;
        LastStatusCode = d.LastStatusCode;
        FailureReason = d.FailureReason;
        CreatedAt = d.CreatedAt;
        CompletedAt = d.CompletedAt;
    }

    public string Id { get; }

    public string MessageId { get; }

    public string EndpointId { get; }

    public string? TenantId { get; }

    public string EventType { get; }

    [JsonConverter(typeof(JsonStringEnumConverter<WebhookDeliveryStatus>))]
    public WebhookDeliveryStatus Status { get; }

    public int AttemptCount { get; }

    public DateTimeOffset NextAttemptAt { get; }

    public DateTimeOffset? LastAttemptAt { get; }

    public int? LastStatusCode { get; }

    public string? FailureReason { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset? CompletedAt { get; }
}

/// <summary>A delivery with its newest attempts.</summary>
internal sealed class DeliveryDetailResponse(WebhookDelivery d, WebhookPage<WebhookAttempt> attempts) : DeliveryResponse(d)
{
    public IReadOnlyList<AttemptResponse> Attempts { get; } = [.. attempts.Items.Select(AttemptResponse.From)];

    /// <summary>The cursor of the next page of attempts (<c>GET /deliveries/{id}/attempts?after=</c>), or null.</summary>
    public string? AttemptsNext { get; } = attempts.ContinuationToken;
}

/// <summary>One HTTP attempt.</summary>
internal sealed class AttemptResponse
{
    public required string Id { get; init; }

    public required string DeliveryId { get; init; }

    public required string MessageId { get; init; }

    public required string EndpointId { get; init; }

    public int AttemptNumber { get; init; }

    public required string Url { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public double DurationMs { get; init; }

    public bool Succeeded { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<WebhookAttemptError>))]
    public WebhookAttemptError Error { get; init; }

    public string? ErrorMessage { get; init; }

    public int? StatusCode { get; init; }

    public required IReadOnlyDictionary<string, string> ResponseHeaders { get; init; }

    public string? ResponseExcerpt { get; init; }

    public static AttemptResponse From(WebhookAttempt a) => new()
    {
        Id = a.Id,
        DeliveryId = a.DeliveryId,
        MessageId = a.MessageId,
        EndpointId = a.SubscriptionId,
        AttemptNumber = a.AttemptNumber,
        Url = a.Url,
        StartedAt = a.StartedAt,
        DurationMs = a.Duration.TotalMilliseconds,
        Succeeded = a.Succeeded,
        Error = a.Error,
        ErrorMessage = a.ErrorMessage,
        StatusCode = a.StatusCode,
        ResponseHeaders = a.ResponseHeaders,
        ResponseExcerpt = a.ResponseExcerpt,
    };
}

/// <summary>The answer to <c>POST /messages</c>.</summary>
internal sealed class PublishResponse
{
    public required string MessageId { get; init; }
}

/// <summary>The answer to <c>POST /endpoints/{id}/recover</c>.</summary>
internal sealed class RecoverResponse
{
    /// <summary>How many failed deliveries were scheduled again.</summary>
    public int Count { get; init; }
}

/// <summary>A registered event type and the JSON Schema of its payload.</summary>
internal sealed class EventTypeResponse
{
    public required string EventType { get; init; }

    public string? Description { get; init; }

    /// <summary>The JSON Schema of the payload (the envelope's <c>data</c>), or null when the type has no declared payload.</summary>
    public JsonNode? Schema { get; init; }
}

/// <summary>The list of event types (not paged: the catalog is the app's own, small list).</summary>
internal sealed class EventTypeListResponse
{
    public required IReadOnlyList<EventTypeResponse> Items { get; init; }
}
