namespace Webhooks.Core;

/// <summary>The outcome of verifying a webhook's signature.</summary>
public enum WebhookVerificationStatus
{
    /// <summary>The signature matches one of the secrets and the timestamp is within tolerance.</summary>
    Valid = 0,

    /// <summary>A required header (id, timestamp or signature) is missing or empty.</summary>
    MissingHeader,

    /// <summary>A header is present but malformed (for example a signature header with no parsable token).</summary>
    MalformedHeader,

    /// <summary>The timestamp header is not a strict ASCII-digit unix time in seconds.</summary>
    MalformedTimestamp,

    /// <summary>The timestamp is older than the tolerance allows.</summary>
    TimestampTooOld,

    /// <summary>The timestamp is further in the future than the tolerance allows.</summary>
    TimestampTooNew,

    /// <summary>No signature token matches any of the secrets.</summary>
    NoMatchingSignature,
}
