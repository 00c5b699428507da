using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Webhooks.Receiver.Internal;

/// <summary>Reads a request body once into a pooled buffer, enforcing the size limit while reading.</summary>
internal static class WebhookBodyReader
{
    private const int InitialUndeclaredSize = 16 * 1024;

    public enum Status
    {
        Ok,
        TooLarge,
        Truncated,
        Aborted,
    }

    public static async ValueTask<(Status Status, PooledBody Body)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength;
        if (declared > limit)
        {
            return (Status.TooLarge, default);
        }

        // Let the server enforce the same limit (its default is larger or smaller than ours, never the same).
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        // Reads the request's pipe directly (one step less than its Stream) and copies each chunk once into one buffer.
        var reader = request.BodyReader;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(declared ?? InitialUndeclaredSize, limit));
        var total = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var chunk = result.Buffer;
                if (chunk.Length > limit - total)
                {
                    reader.AdvanceTo(chunk.End);
                    return Fail(Status.TooLarge, buffer);
                }

                var length = (int)chunk.Length;
                if (length > buffer.Length - total)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max((long)buffer.Length * 2, total + length), limit));
                    buffer.AsSpan(0, total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                chunk.CopyTo(buffer.AsSpan(total));
                total += length;
                reader.AdvanceTo(chunk.End);
                if (result.IsCanceled)
                {
                    return Fail(Status.Aborted, buffer);
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (BadHttpRequestException exception)
        {
            return Fail(exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? Status.TooLarge : Status.Truncated, buffer);
        }
        catch (OperationCanceledException)
        {
            return Fail(Status.Aborted, buffer);
        }
        catch (IOException)
        {
            return Fail(Status.Truncated, buffer);
        }

        if (declared is { } expected && total != expected)
        {
            return Fail(Status.Truncated, buffer);
        }

        return (Status.Ok, new PooledBody(buffer, total));
    }

    private static (Status, PooledBody) Fail(Status status, byte[] buffer)
    {
        ArrayPool<byte>.Shared.Return(buffer);
        return (status, default);
    }
}
