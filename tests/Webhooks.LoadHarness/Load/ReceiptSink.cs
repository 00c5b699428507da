using System.Collections.Concurrent;
using System.Diagnostics;
using Webhooks.Core;

namespace Webhooks.LoadHarness.Load;

/// <summary>
/// The Kestrel sink of the sender scenario: reads each POST's body, notes the <c>webhook-id</c> and the time it arrived,
/// answers 204. A run waits until every expected id has arrived (duplicates of at-least-once delivery count once).
/// </summary>
internal sealed class ReceiptSink
{
    private Run _run = new(0);

    public void Map(IEndpointRouteBuilder endpoints, string pattern) => endpoints.MapPost(pattern, ReceiveAsync);

    public Run Begin(int expected) => _run = new Run(expected);

    /// <summary>Gets the run receipts go to now.</summary>
    public Run Current => Volatile.Read(ref _run);

    private async Task ReceiveAsync(HttpContext context)
    {
        await RequestBody.DrainAsync(context).ConfigureAwait(false);
        _run.Receive(context.Request.Headers[StandardWebhookHeaders.Id].ToString(), Stopwatch.GetTimestamp());
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>The receipts of one run.</summary>
    internal sealed class Run(int expected)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _unique;
        private int _duplicates;
        private long _lastReceipt;

        public ConcurrentDictionary<string, long> Receipts { get; } = new(StringComparer.Ordinal);

        public int Unique => Volatile.Read(ref _unique);

        public int Duplicates => Volatile.Read(ref _duplicates);

        public long LastReceipt => Volatile.Read(ref _lastReceipt);

        public void Receive(string id, long timestamp)
        {
            if (!Receipts.TryAdd(id, timestamp))
            {
                Interlocked.Increment(ref _duplicates);
                return;
            }

            long last;
            while ((last = Volatile.Read(ref _lastReceipt)) < timestamp && Interlocked.CompareExchange(ref _lastReceipt, timestamp, last) != last)
            {
            }

            if (Interlocked.Increment(ref _unique) == expected)
            {
                _all.TrySetResult();
            }
        }

        /// <summary>Waits for every expected receipt, or until the limit passes.</summary>
        public async Task WaitAsync(TimeSpan limit)
        {
            try
            {
                await _all.Task.WaitAsync(limit).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Reported as missing deliveries.
            }
        }

        /// <summary>Publish-to-receipt latencies for the ids that arrived.</summary>
        public Percentiles Latency(IReadOnlyDictionary<string, long> started)
        {
            var ticks = new List<long>(started.Count);
            foreach (var (id, start) in started)
            {
                if (Receipts.TryGetValue(id, out var receipt))
                {
                    ticks.Add(receipt - start);
                }
            }

            return Percentiles.From(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ticks));
        }
    }
}
