namespace Webhooks.Sender;

/// <summary>Why an attempt did not succeed.</summary>
public enum WebhookAttemptError
{
    /// <summary>No error: the endpoint answered 2xx.</summary>
    None = 0,

    /// <summary>The endpoint answered with a status code other than 2xx (redirects included); see <see cref="WebhookAttempt.StatusCode"/>.</summary>
    HttpStatus = 1,

    /// <summary>The attempt did not complete within the attempt timeout.</summary>
    Timeout = 2,

    /// <summary>The host name could not be resolved.</summary>
    NameResolution = 3,

    /// <summary>The connection could not be made or was broken.</summary>
    Connection = 4,

    /// <summary>The TLS handshake failed.</summary>
    Tls = 5,

    /// <summary>The request was refused by the sender's own policy (for example the SSRF guard).</summary>
    BlockedByPolicy = 6,

    /// <summary>Any other error.</summary>
    Other = 7,
}
