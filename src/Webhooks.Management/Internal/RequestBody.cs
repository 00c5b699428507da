using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Management.Internal;

/// <summary>Reads a JSON request body with the API's own strict options, bounded in size; every failure is a problem answer.</summary>
internal static class RequestBody
{
    public readonly record struct Result<T>(T? Value, IResult? Error)
        where T : class;

    /// <summary>Reads the body; an absent body is an error unless <paramref name="optional"/>, when it reads as null.</summary>
    public static async Task<Result<T>> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> typeInfo, int limit, bool optional = false)
        where T : class
    {
        var request = http.Request;
        if (request.ContentLength == 0 || (request.ContentLength is null && !HasBody(request)))
        {
            return optional ? default : new(null, Problems.Field("$", "A JSON body is required."));
        }

        if (!request.HasJsonContentType())
        {
            return new(null, Problems.UnsupportedMediaType());
        }

        if (request.ContentLength > limit)
        {
            return new(null, Problems.TooLarge(limit));
        }

        byte[]? rented = null;
        try
        {
            rented = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, 16 * 1024));
            var length = 0;
            while (true)
            {
                if (length == rented.Length)
                {
                    if (length > limit)
                    {
                        return new(null, Problems.TooLarge(limit));
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)rented.Length * 2, limit + 1L));
                    rented.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(rented);
                    rented = bigger;
                }

                var read = await request.Body.ReadAsync(rented.AsMemory(length), http.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    return new(null, Problems.TooLarge(limit));
                }
            }

            if (length == 0)
            {
                return optional ? default : new(null, Problems.Field("$", "A JSON body is required."));
            }

            var value = JsonSerializer.Deserialize(rented.AsSpan(0, length), typeInfo);
            return value is null ? new(null, Problems.Field("$", "The body is JSON null; send a JSON object.")) : new(value, null);
        }
        catch (JsonException ex)
        {
            return new(null, Problems.Field(PathOf(ex), MessageOf(ex)));
        }
        catch (BadHttpRequestException ex)
        {
            return new(null, TypedResults.Problem(statusCode: ex.StatusCode, title: "The request body could not be read.", detail: ex.Message));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // A chunked body (no Content-Length) may still be there; HTTP/1.1 without either has none.
    private static bool HasBody(HttpRequest request) =>
        request.Headers.TransferEncoding.Count > 0 || request.Protocol is not ("HTTP/1.0" or "HTTP/1.1");

    private static string PathOf(JsonException ex)
    {
        // An unknown member is reported at its parent; name the member itself.
        if (ex.Message.StartsWith("The JSON property '", StringComparison.Ordinal)
            && ex.Message.IndexOf('\'', 19) is > 19 and var end)
        {
            var parent = ex.Path is null or "$" ? "$" : ex.Path;
            var member = ex.Message[19..end];
            return parent.EndsWith("." + member, StringComparison.Ordinal) ? parent : parent + "." + member;
        }

        return ex.Path ?? "$";
    }

    private static string MessageOf(JsonException ex)
    {
        if (ex.Message.StartsWith("The JSON property '", StringComparison.Ordinal) && ex.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return "This member is not part of the request; remove it (member names are camelCase).";
        }

        // The serializer's message ends with the position; the key already names the member.
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        return ex.Path is null ? "The body is not valid JSON: " + message : message;
    }
}
