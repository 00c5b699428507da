using System.Buffers;

namespace Webhooks.Receiver.Tests;

/// <summary>
/// An <see cref="ArrayPool{T}"/> over the shared pool that counts what is rented and not yet returned, so a test can
/// state how much pooled memory requests hold; signals when a number of rents or a return to zero has happened.
/// </summary>
internal sealed class CountingArrayPool : ArrayPool<byte>
{
    private readonly object _gate = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _rentWaiters = [];
    private TaskCompletionSource? _emptyWaiter;
    private long _outstandingBytes;
    private int _outstandingArrays;
    private int _rents;

    public long OutstandingBytes { get { lock (_gate) { return _outstandingBytes; } } }

    public long PeakOutstandingBytes { get; private set; }

    public int LargestRent { get; private set; }

    public int Rents { get { lock (_gate) { return _rents; } } }

    public override byte[] Rent(int minimumLength)
    {
        var array = Shared.Rent(minimumLength);
        lock (_gate)
        {
            _rents++;
            _outstandingArrays++;
            _outstandingBytes += array.Length;
            PeakOutstandingBytes = Math.Max(PeakOutstandingBytes, _outstandingBytes);
            LargestRent = Math.Max(LargestRent, array.Length);
            foreach (var (count, signal) in _rentWaiters)
            {
                if (_rents >= count)
                {
                    signal.TrySetResult();
                }
            }
        }

        return array;
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        lock (_gate)
        {
            _outstandingArrays--;
            _outstandingBytes -= array.Length;
            if (_outstandingArrays == 0)
            {
                _emptyWaiter?.TrySetResult();
            }
        }

        Shared.Return(array, clearArray);
    }

    /// <summary>Completes once <paramref name="count"/> arrays have been rented in all.</summary>
    public Task RentedAsync(int count)
    {
        lock (_gate)
        {
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_rents >= count)
            {
                signal.SetResult();
            }
            else
            {
                _rentWaiters.Add((count, signal));
            }

            return signal.Task;
        }
    }

    /// <summary>Completes once every rented array has been returned.</summary>
    public Task AllReturnedAsync()
    {
        lock (_gate)
        {
            if (_outstandingArrays == 0)
            {
                return Task.CompletedTask;
            }

            _emptyWaiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _emptyWaiter.Task;
        }
    }
}
