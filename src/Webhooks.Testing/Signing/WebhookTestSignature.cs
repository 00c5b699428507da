using System.Collections.ObjectModel;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Testing;

/// <summary>The headers <see cref="WebhookTestSigner.Sign(ReadOnlySpan{byte})"/> produced for one body.</summary>
public sealed class WebhookTestSignature
{
    internal WebhookTestSignature(string signature, string? messageId, long? timestamp, IList<KeyValuePair<string, string>> headers)
    {
        Signature = signature;
        MessageId = messageId;
        Timestamp = timestamp;
        Headers = new ReadOnlyCollection<KeyValuePair<string, string>>(headers);
    }

    /// <summary>Gets the value of the signature header (for Standard Webhooks <c>v1,&lt;base64&gt;</c>), even when that header was left out.</summary>
    public string Signature { get; }

    /// <summary>Gets the message id sent in a header, or <see langword="null"/> for schemes that carry it in the body (Stripe, Slack).</summary>
    public string? MessageId { get; }

    /// <summary>Gets the signed timestamp in unix seconds, or <see langword="null"/> for schemes without one (GitHub, Shopify).</summary>
    public long? Timestamp { get; }

    /// <summary>Gets the headers to send, in order, without the ones left out with <see cref="WebhookTestSigner.WithoutHeader(string)"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Adds the headers to a client request.</summary>
    /// <param name="request">The request.</param>
    public void ApplyTo(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (name, value) in Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>Sets the headers on a server-side request (for example in <c>TestServer.SendAsync(context =&gt; ...)</c>).</summary>
    /// <param name="headers">The request headers.</param>
    public void ApplyTo(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var (name, value) in Headers)
        {
            headers[name] = value;
        }
    }
}
