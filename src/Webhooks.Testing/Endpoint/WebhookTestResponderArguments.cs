using Webhooks.Core;

namespace Webhooks.Testing;

/// <summary>What a custom responder of <see cref="WebhookTestEndpoint.RespondWith(Func{WebhookTestResponderArguments, ValueTask{int}})"/> knows about a request.</summary>
public readonly struct WebhookTestResponderArguments
{
    internal WebhookTestResponderArguments(string path, string? messageId, int attempt, WebhookVerificationStatus verification, CancellationToken cancellationToken)
    {
        Path = path;
        MessageId = messageId;
        Attempt = attempt;
        Verification = verification;
        CancellationToken = cancellationToken;
    }

    /// <summary>Gets the request path, for example <c>/hooks/a</c>.</summary>
    public string Path { get; }

    /// <summary>Gets the <c>webhook-id</c> header, or <see langword="null"/>.</summary>
    public string? MessageId { get; }

    /// <summary>Gets which request this is for its message id at this path, from 1.</summary>
    public int Attempt { get; }

    /// <summary>Gets the outcome of the signature check.</summary>
    public WebhookVerificationStatus Verification { get; }

    /// <summary>Gets a token cancelled when the sender gives up on the request (the answer is then recorded as 499).</summary>
    public CancellationToken CancellationToken { get; }
}
