using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Webhooks.Sender.Tests.Testing;
using Xunit.Abstractions;

namespace Webhooks.Sender.Tests.Delivery;

/// <summary>How the dispatcher's claims respect the per-endpoint limit: store calls counted, not timed.</summary>
public sealed class WebhookDispatcherClaimTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public async Task Dispatcher_ABacklogToOneEndpoint_IsClaimedWithinTheLimitAndNothingIsReleased(int limit)
    {
        const int Count = 200;
        await using var h = await SenderHarness.StartAsync(o => o.MaxConcurrentAttemptsPerEndpoint = limit);
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

        gate.SetResult();
        var stored = await h.Store.CompletionsAsync(Count, TimeSpan.FromSeconds(30));

        output.WriteLine($"limit {limit}: {h.Store.ClaimCalls} claims, {h.Store.ReleasedDeliveries} releases in {h.Store.ReleaseCalls} calls for {Count} deliveries");
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
