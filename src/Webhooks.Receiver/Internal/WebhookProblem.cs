using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver.Internal;

/// <summary>Writes <c>application/problem+json</c> answers (RFC 9457) with fixed, generic texts.</summary>
internal static class WebhookProblem
{
    public const string ContentType = "application/problem+json";

    public static readonly Problem MethodNotAllowed = new(405, "Method Not Allowed", "Webhooks are delivered with POST.", "https://tools.ietf.org/html/rfc9110#section-15.5.6");
    public static readonly Problem TooLarge = new(413, "Payload Too Large", "The body is larger than this receiver accepts.", "https://tools.ietf.org/html/rfc9110#section-15.5.14");
    public static readonly Problem BodyTimeout = new(408, "Request Timeout", "The body did not arrive in time.", "https://tools.ietf.org/html/rfc9110#section-15.5.9");
    public static readonly Problem Truncated = new(400, "Bad Request", "The request body ended before its declared length.", BadRequestType);
    public static readonly Problem InvalidHeaders = new(400, "Bad Request", "A required webhook header is missing or malformed.", BadRequestType);
    public static readonly Problem Unauthorized = new(401, "Unauthorized", "The webhook could not be verified.", "https://tools.ietf.org/html/rfc9110#section-15.5.2");
    public static readonly Problem InvalidPayload = new(400, "Bad Request", "The payload is not valid JSON of the expected shape.", BadRequestType);
    public static readonly Problem MissingEvent = new(400, "Bad Request", "The payload does not name its event type and id.", BadRequestType);
    public static readonly Problem InProgress = new(409, "Conflict", "This message is being handled by another request; retry later.", "https://tools.ietf.org/html/rfc9110#section-15.5.10");
    public static readonly Problem StoreUnavailable = new(503, "Service Unavailable", "The webhook cannot be processed right now; retry later.", "https://tools.ietf.org/html/rfc9110#section-15.6.4");
    public static readonly Problem HandlerFailed = new(500, "Internal Server Error", "The webhook could not be handled; a retry will be processed.", "https://tools.ietf.org/html/rfc9110#section-15.6.1");

    private const string BadRequestType = "https://tools.ietf.org/html/rfc9110#section-15.5.1";

    public static Task WriteAsync(HttpResponse response, Problem problem)
    {
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        response.StatusCode = problem.Status;
        response.ContentType = ContentType;
        response.ContentLength = problem.Body.Length;
        return response.Body.WriteAsync(problem.Body).AsTask();
    }

    /// <summary>A problem answer whose body is serialized once.</summary>
    internal sealed class Problem
    {
        public Problem(int status, string title, string detail, string type)
        {
            Status = status;
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, type);
                writer.WriteString("title"u8, title);
                writer.WriteNumber("status"u8, status);
                writer.WriteString("detail"u8, detail);
                writer.WriteEndObject();
            }

            Body = buffer.WrittenMemory.ToArray();
        }

        public int Status { get; }

        public ReadOnlyMemory<byte> Body { get; }
    }
}
