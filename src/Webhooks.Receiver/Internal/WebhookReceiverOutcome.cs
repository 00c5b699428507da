namespace Webhooks.Receiver.Internal;

/// <summary>The values of the <c>webhooks.receiver.outcome</c> tag, and the status code of each.</summary>
internal static class WebhookReceiverOutcome
{
    public const string Handled = "handled";
    public const string Duplicate = "duplicate";
    public const string InProgress = "in_progress";
    public const string Unhandled = "unhandled_event";
    public const string MissingEventType = "missing_event_type";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string TooLarge = "too_large";
    public const string BodyTimeout = "body_timeout";
    public const string BadRequest = "bad_request";
    public const string InvalidHeaders = "invalid_headers";
    public const string Unauthorized = "unauthorized";
    public const string InvalidPayload = "invalid_payload";
    public const string HandlerFailed = "handler_failed";
    public const string Aborted = "aborted";
    public const string StoreUnavailable = "store_unavailable";
    public const string Stored = "stored";
}
