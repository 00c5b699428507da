using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Webhooks.Receiver.Internal;

/// <summary>
/// Reads a request body once into a pooled buffer, enforcing the size limit and the time limit while reading. The
/// buffer follows the bytes that arrived, not the declared length: it starts at <see cref="InitialSize"/> and doubles
/// when full, up to the declared length or the limit, so a client that announces a large body and sends little holds
/// little memory.
/// </summary>
internal static class WebhookBodyReader
{
    /// <summary>The first buffer's size (at most), before any body byte is known to exist.</summary>
    public const int InitialSize = 4 * 1024;

    public enum Status
    {
        Ok,
        TooLarge,
        Truncated,
        Aborted,
        TimedOut,
    }

    public static async ValueTask<(Status Status, PooledBody Body)> ReadAsync(
        HttpRequest request, long limit, ArrayPool<byte> pool, TimeSpan timeout, TimeProvider timeProvider, CancellationToken requestAborted)
    {
        var declared = request.ContentLength;
        if (declared > limit)
        {
            return (Status.TooLarge, default);
        }

        // The server's own limit counts chunk framing (a chunked body of exactly the limit would fail there), so lift it
        // for this request: this reader enforces the limit exactly on the body's bytes however they are framed.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        // The buffer never needs more than the declared length or the limit; one more byte is probed for separately.
        var capacity = (int)(declared ?? limit);
        var buffer = pool.Rent(Math.Max(Math.Min(capacity, InitialSize), 1));
        var total = 0;
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var aborted = requestAborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline);
        try
        {
            while (true)
            {
                if (total == capacity)
                {
                    // Full to the declared length or the limit: the body must end here (a server stops a body at its
                    // declared length; a stream that goes on past it is refused like one over the limit).
                    var more = buffer.Length > total
                        ? await request.Body.ReadAsync(buffer.AsMemory(total, 1), deadline.Token).ConfigureAwait(false) > 0
                        : await HasMoreAsync(request.Body, pool, deadline.Token).ConfigureAwait(false);
                    if (more)
                    {
                        return Fail(Status.TooLarge, buffer, pool);
                    }

                    break;
                }

                if (total == buffer.Length)
                {
                    var larger = pool.Rent((int)Math.Min((long)buffer.Length * 2, capacity));
                    buffer.AsSpan(0, total).CopyTo(larger);
                    pool.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(total, Math.Min(buffer.Length, capacity) - total), deadline.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (BadHttpRequestException exception)
        {
            return Fail(exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? Status.TooLarge : Status.Truncated, buffer, pool);
        }
        catch (OperationCanceledException)
        {
            return Fail(requestAborted.IsCancellationRequested ? Status.Aborted : Status.TimedOut, buffer, pool);
        }
        catch (IOException)
        {
            return Fail(Status.Truncated, buffer, pool);
        }

        if (declared is { } expected && total != expected)
        {
            return Fail(Status.Truncated, buffer, pool);
        }

        return (Status.Ok, new PooledBody(buffer, total, pool));
    }

    /// <summary>Reads into a small scratch buffer to see whether the body goes on past a buffer that is exactly full.</summary>
    private static async ValueTask<bool> HasMoreAsync(Stream body, ArrayPool<byte> pool, CancellationToken cancellationToken)
    {
        var probe = pool.Rent(1);
        try
        {
            return await body.ReadAsync(probe.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) > 0;
        }
        finally
        {
            pool.Return(probe);
        }
    }

    private static (Status, PooledBody) Fail(Status status, byte[] buffer, ArrayPool<byte> pool)
    {
        pool.Return(buffer);
        return (status, default);
    }
}
