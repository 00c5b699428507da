namespace Webhooks.Sender;

/// <summary>One HTTP attempt of a delivery, as logged for operators.</summary>
public sealed record WebhookAttempt
{
    /// <summary>Gets the attempt id (<c>atm_...</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the delivery id.</summary>
    public required string DeliveryId { get; init; }

    /// <summary>Gets the message id.</summary>
    public required string MessageId { get; init; }

    /// <summary>Gets the subscription id.</summary>
    public required string SubscriptionId { get; init; }

    /// <summary>Gets the tenant, or <see langword="null"/> for none.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the attempt number within the delivery's current schedule, from 1.</summary>
    public int AttemptNumber { get; init; }

    /// <summary>Gets the URL the request was sent to.</summary>
    public required string Url { get; init; }

    /// <summary>Gets when the attempt started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets how long the attempt took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets a value indicating whether the endpoint answered 2xx.</summary>
    public bool Succeeded { get; init; }

    /// <summary>Gets the kind of error, or <see cref="WebhookAttemptError.None"/>.</summary>
    public WebhookAttemptError Error { get; init; }

    /// <summary>Gets a short description of the error (never contains secrets).</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Gets the response status code, when the endpoint answered.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets the response headers (values of repeated headers joined with commas).</summary>
    public IReadOnlyDictionary<string, string> ResponseHeaders { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Gets the start of the response body, capped (UTF-8 decoded).</summary>
    public string? ResponseExcerpt { get; init; }

    /// <summary>Gets the address the request was sent to, when known.</summary>
    public string? RemoteAddress { get; init; }
}
