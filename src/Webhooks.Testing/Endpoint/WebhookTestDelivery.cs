using System.Text;
using Webhooks.Core;

namespace Webhooks.Testing;

/// <summary>One request a <see cref="WebhookTestEndpoint"/> received and answered.</summary>
public sealed class WebhookTestDelivery
{
    internal WebhookTestDelivery(
        string path, IReadOnlyDictionary<string, string> headers, byte[] body, WebhookVerificationStatus verification, int attempt, int statusCode, DateTimeOffset receivedAt, string? eventType)
    {
        Path = path;
        Headers = headers;
        Body = body;
        Verification = verification;
        Attempt = attempt;
        StatusCode = statusCode;
        ReceivedAt = receivedAt;
        EventType = eventType;
    }

    /// <summary>Gets the request path, for example <c>/webhooks</c>.</summary>
    public string Path { get; }

    /// <summary>Gets the request headers (several values of one header joined with a comma).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Gets the body bytes as received.</summary>
    public byte[] Body { get; }

    /// <summary>Gets the body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>Gets the <c>webhook-id</c> header, or <see langword="null"/>.</summary>
    public string? MessageId => Header(StandardWebhookHeaders.Id);

    /// <summary>Gets the envelope's <c>type</c>, or <see langword="null"/> when the body is not an envelope.</summary>
    public string? EventType { get; }

    /// <summary>Gets the outcome of the Standard Webhooks verification.</summary>
    public WebhookVerificationStatus Verification { get; }

    /// <summary>Gets a value indicating whether the signature and timestamp verified.</summary>
    public bool Verified => Verification == WebhookVerificationStatus.Valid;

    /// <summary>Gets which request this was for its message id, from 1 (retries count up).</summary>
    public int Attempt { get; }

    /// <summary>Gets the status code answered; 499 when the sender gave up before the answer (a scripted delay outlasted its timeout).</summary>
    public int StatusCode { get; }

    /// <summary>Gets when the request arrived, on the endpoint's clock.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Gets a header's value.</summary>
    /// <param name="name">The header name, matched ignoring case.</param>
    /// <returns>The value, or <see langword="null"/> when absent.</returns>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Returns the path, message id, attempt and answer.</summary>
    /// <returns>For example <c>/webhooks msg_... #2 -> 503</c>.</returns>
    public override string ToString() => $"{Path} {MessageId} #{Attempt} -> {StatusCode}";
}
