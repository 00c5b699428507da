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

        // Room for one byte more than expected, to see a body longer than declared or than the limit.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(declared is { } length ? length + 1 : InitialUndeclaredSize, limit + 1));
        var total = 0;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    var size = (int)Math.Min((long)buffer.Length * 2, limit + 1);
                    if (size <= buffer.Length)
                    {
                        return Fail(Status.TooLarge, buffer);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(size);
                    buffer.AsSpan(0, total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (total > limit)
                {
                    return Fail(Status.TooLarge, buffer);
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
