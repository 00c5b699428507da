using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Webhooks.Core;
using Webhooks.Core.Events;

namespace Webhooks.Testing;

/// <summary>Builds signed POST requests for tests, for <c>TestServer</c>/<c>WebApplicationFactory</c> clients and real <see cref="HttpClient"/>s alike.</summary>
public static class WebhookTestRequest
{
    private static readonly JsonSerializerOptions ProviderJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Creates a signed POST carrying exactly <paramref name="body"/>.</summary>
    /// <param name="requestUri">The path or URL, for example <c>/webhooks</c>.</param>
    /// <param name="body">The body as sent (and signed).</param>
    /// <param name="signer">The signer.</param>
    /// <param name="mediaType">The content type; <c>application/json</c> by default.</param>
    /// <returns>The request; the caller sends and disposes it.</returns>
    public static HttpRequestMessage Create(string requestUri, byte[] body, WebhookTestSigner signer, string mediaType = "application/json")
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        var request = new HttpRequestMessage(HttpMethod.Post, requestUri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        signer.Sign(body).ApplyTo(request);
        return request;
    }

    /// <summary>Creates a signed POST carrying the UTF-8 bytes of <paramref name="body"/>.</summary>
    /// <param name="requestUri">The path or URL.</param>
    /// <param name="body">The body text.</param>
    /// <param name="signer">The signer.</param>
    /// <param name="mediaType">The content type; <c>application/json</c> by default.</param>
    /// <returns>The request.</returns>
    public static HttpRequestMessage Create(string requestUri, string body, WebhookTestSigner signer, string mediaType = "application/json")
    {
        ArgumentNullException.ThrowIfNull(body);
        return Create(requestUri, Encoding.UTF8.GetBytes(body), signer, mediaType);
    }

    /// <summary>Creates a signed POST carrying a payload serialized as <see cref="SerializeJson{T}"/> does.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="requestUri">The path or URL.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="signer">The signer.</param>
    /// <param name="serializerOptions">The JSON options, or <see langword="null"/> for the defaults described on <see cref="SerializeJson{T}"/>.</param>
    /// <returns>The request.</returns>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization.")]
    public static HttpRequestMessage CreateJson<T>(string requestUri, T payload, WebhookTestSigner signer, JsonSerializerOptions? serializerOptions = null) =>
        Create(requestUri, SerializeJson(payload, signer, serializerOptions), signer);

    /// <summary>
    /// Serializes a payload as the scheme's sender would: for Standard Webhooks, the envelope
    /// <c>{"type","timestamp","data"}</c> our sender sends, typed by <see cref="WebhookTestSigner.EventType"/> or else the
    /// payload's <see cref="WebhookEventAttribute"/>, with the sender's default JSON options; for the provider schemes,
    /// the payload itself in snake_case, as the providers send it and as the receiver reads it by default.
    /// </summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="payload">The payload.</param>
    /// <param name="signer">The signer (its scheme, event type and clock).</param>
    /// <param name="serializerOptions">The JSON options, or <see langword="null"/> for the defaults above.</param>
    /// <returns>The body bytes.</returns>
    /// <exception cref="InvalidOperationException">Standard Webhooks: no event type was set and <typeparamref name="T"/> has no <see cref="WebhookEventAttribute"/>.</exception>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization.")]
    public static byte[] SerializeJson<T>(T payload, WebhookTestSigner signer, JsonSerializerOptions? serializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (signer.Scheme != WebhookTestScheme.StandardWebhooks)
        {
            return JsonSerializer.SerializeToUtf8Bytes(payload, serializerOptions ?? ProviderJson);
        }

        var eventType = signer.EventType ?? WebhookEventType.Of<T>();
        return WebhookEnvelope.Serialize(eventType, signer.SigningTime(), payload, serializerOptions);
    }
}
