using System.Buffers;

namespace Webhooks.Receiver.Internal;

/// <summary>A body in a rented array; return it with <see cref="Dispose"/>.</summary>
internal readonly struct PooledBody(byte[]? array, int length, ArrayPool<byte>? pool) : IDisposable
{
    public ReadOnlySpan<byte> Span => array is null ? default : array.AsSpan(0, length);

    public ReadOnlyMemory<byte> Memory => array is null ? default : array.AsMemory(0, length);

    public int Length => length;

    public void Dispose()
    {
        if (array is not null)
        {
            pool!.Return(array);
        }
    }
}
