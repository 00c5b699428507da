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

            // Read first, then judge: an empty body is "no body" whatever the headers say (HTTP/2 sends no length).
            if (length == 0)
            {
                return optional ? default : new(null, Problems.Field("$", "A JSON body is required."));
            }

            if (!request.HasJsonContentType())
            {
                return new(null, Problems.UnsupportedMediaType());
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

        // "The JSON value could not be converted to System.Nullable`1[System.Int32]": say what to send, not the .NET type.
        var message = ex.Message;
        const string Converted = "could not be converted to ";
        var at = message.IndexOf(Converted, StringComparison.Ordinal);
        if (at >= 0)
        {
            var type = message[(at + Converted.Length)..];
            return "The value is not " + (
                type.StartsWith("System.Nullable`1[System.Int32]", StringComparison.Ordinal) || type.StartsWith("System.Int32", StringComparison.Ordinal) ? "a whole number (no quotes, no fraction) that fits in 32 bits."
                : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false."
                : type.Contains("DateTimeOffset", StringComparison.Ordinal) ? "an RFC 3339 timestamp such as 2026-01-31T14:00:00Z."
                : type.StartsWith("System.String", StringComparison.Ordinal) ? "a string."
                : type.Contains("Dictionary", StringComparison.Ordinal) ? "an object whose values are strings."
                : type.Contains("List", StringComparison.Ordinal) ? "an array of strings."
                : "of the type this member takes.");
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        return ex.Path is null ? "The body is not valid JSON: " + message : message;
    }
}
