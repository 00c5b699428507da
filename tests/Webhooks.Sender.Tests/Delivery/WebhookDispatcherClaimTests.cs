using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Webhooks.Sender.Tests.Testing;
using Xunit.Abstractions;

namespace Webhooks.Sender.Tests.Delivery;

/// <summary>How the dispatcher's claims respect the per-endpoint limit: store calls counted, not timed.</summary>
public sealed class WebhookDispatcherClaimTests(ITestOutputHelper output)
{
    /// <param name="limit">The per-endpoint limit.</param>
    /// <param name="backlog">Whether the 200 are published before the dispatcher starts (else while the endpoint holds the first ones).</param>
    [Theory]
    [InlineData(4, true)]
    [InlineData(1, true)]
    [InlineData(4, false)]
    [InlineData(1, false)]
    public async Task Dispatcher_ABacklogToOneEndpoint_IsClaimedWithinTheLimitAndNothingIsReleased(int limit, bool backlog)
    {
        const int Count = 200;
        await using var h = SenderHarness.Create(o => o.MaxConcurrentAttemptsPerEndpoint = limit);
        if (!backlog)
        {
            await h.StartDispatcherAsync();
        }

        await h.SubscribeAsync("a");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var concurrent = 0;
        var maxConcurrent = 0;
        h.Endpoint("a").Responder = async (_, ct) =>
        {
            var now = Interlocked.Increment(ref concurrent);
            InterlockedMax(ref maxConcurrent, now);
            await gate.Task.WaitAsync(ct);
            Interlocked.Decrement(ref concurrent);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        };
        for (var i = 0; i < Count; i++)
        {
            await h.Publisher.PublishAsync(new OrderCreated(i));
        }

        var claimsBefore = h.Store.ClaimCalls;
        if (backlog)
        {
            await h.StartDispatcherAsync();
        }

        gate.SetResult();
        var stored = await h.Store.CompletionsAsync(Count, TimeSpan.FromSeconds(30));

        output.WriteLine($"limit {limit}, {(backlog ? "backlog" : "published while held")}: {h.Store.ClaimCalls} claims ({h.Store.ClaimCalls - claimsBefore} after publishing), {h.Store.ReleasedDeliveries} releases in {h.Store.ReleaseCalls} calls for {Count} deliveries");
        stored.Should().OnlyContain(c => c.Status == WebhookDeliveryStatus.Succeeded);
        maxConcurrent.Should().BeLessThanOrEqualTo(limit);
        h.Store.ReleasedDeliveries.Should().Be(0, "the claim takes no more than the endpoint's free slots");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
