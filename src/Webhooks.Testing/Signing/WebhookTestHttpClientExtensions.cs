using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Webhooks.Testing;

/// <summary>Posts signed webhooks from a test's <see cref="HttpClient"/> (a <c>TestServer</c> client or a real one).</summary>
public static class WebhookTestHttpClientExtensions
{
    /// <summary>Posts exactly <paramref name="body"/>, signed.</summary>
    /// <param name="client">The client.</param>
    /// <param name="requestUri">The path or URL, for example <c>/webhooks</c>.</param>
    /// <param name="body">The body.</param>
    /// <param name="signer">The signer.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The response.</returns>
    public static Task<HttpResponseMessage> PostWebhookAsync(this HttpClient client, string requestUri, byte[] body, WebhookTestSigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return SendAsync(client, WebhookTestRequest.Create(requestUri, body, signer), cancellationToken);
    }

    /// <summary>Posts the UTF-8 bytes of <paramref name="body"/>, signed.</summary>
    /// <param name="client">The client.</param>
    /// <param name="requestUri">The path or URL.</param>
    /// <param name="body">The body text, for example a JSON document.</param>
    /// <param name="signer">The signer.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The response.</returns>
    public static Task<HttpResponseMessage> PostWebhookAsync(this HttpClient client, string requestUri, string body, WebhookTestSigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return SendAsync(client, WebhookTestRequest.Create(requestUri, body, signer), cancellationToken);
    }

    /// <summary>
    /// Posts a payload, serialized as <see cref="WebhookTestRequest.SerializeJson{T}"/> does (for Standard Webhooks, in
    /// our sender's envelope typed by the payload's <see cref="Core.WebhookEventAttribute"/>), signed.
    /// </summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="requestUri">The path or URL.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="signer">The signer.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The response.</returns>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization.")]
    public static Task<HttpResponseMessage> PostWebhookAsync<T>(this HttpClient client, string requestUri, T payload, WebhookTestSigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return SendAsync(client, WebhookTestRequest.CreateJson(requestUri, payload, signer), cancellationToken);
    }

    /// <summary>Posts a payload serialized with <paramref name="serializerOptions"/>, signed.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="requestUri">The path or URL.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="signer">The signer.</param>
    /// <param name="serializerOptions">The JSON options.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The response.</returns>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization.")]
    public static Task<HttpResponseMessage> PostWebhookAsync<T>(this HttpClient client, string requestUri, T payload, WebhookTestSigner signer, JsonSerializerOptions serializerOptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(serializerOptions);
        return SendAsync(client, WebhookTestRequest.CreateJson(requestUri, payload, signer, serializerOptions), cancellationToken);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            return await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
