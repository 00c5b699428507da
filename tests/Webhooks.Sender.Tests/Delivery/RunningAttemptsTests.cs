using Webhooks.Sender.Delivery;
using Webhooks.Sender;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Delivery;

public sealed class RunningAttemptsTests
{
    [Fact]
    public void Idle_WhileTheLoopRuns_IsNotSetEvenWithNoAttempt()
    {
        var running = new RunningAttempts();
        running.Enter();
        running.Exit();

        running.Idle.IsCompleted.Should().BeFalse();
        running.LoopStopped();
        running.Idle.IsCompleted.Should().BeTrue();
    }

    [Fact]
    public void Idle_AfterTheLoopStopped_WaitsForTheLastAttempt()
    {
        var running = new RunningAttempts();
        running.Enter();
        running.Enter();
        running.LoopStopped();
        running.Exit();

        running.Idle.IsCompleted.Should().BeFalse();
        running.Exit();
        running.Idle.IsCompleted.Should().BeTrue();
    }

    [Fact]
    public async Task Idle_AttemptEndingExactlyAsTheLoopStops_IsAlwaysSet()
    {
        // The two sides released together, many times: with a flag and a counter they could miss each other.
        for (var i = 0; i < 2000; i++)
        {
            var running = new RunningAttempts();
            running.Enter();
            using var barrier = new Barrier(2);
            var attempt = Task.Run(() =>
            {
                barrier.SignalAndWait();
                running.Exit();
            });
            var loop = Task.Run(() =>
            {
                barrier.SignalAndWait();
                running.LoopStopped();
            });
            await Task.WhenAll(attempt, loop).WaitAsync(TimeSpan.FromSeconds(10));

            running.Idle.IsCompleted.Should().BeTrue($"iteration {i}");
        }
    }

    [Fact]
    public async Task Dispatcher_AttemptFinishingAsShutdownStarts_NeverHangsShutdown()
    {
        for (var i = 0; i < 25; i++)
        {
            // A shutdown timeout on the fake clock that never moves: only the idle signal can end the wait.
            await using var h = await SenderHarness.StartAsync(o => o.ShutdownTimeout = TimeSpan.FromHours(1));
            await h.SubscribeAsync("a");
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            h.Endpoint("a").HoldUntil(gate.Task);
            await h.Publisher.PublishAsync(new OrderCreated(i));
            await h.Endpoint("a").NextRequestAsync();

            using var barrier = new Barrier(2);
            var finish = Task.Run(() =>
            {
                barrier.SignalAndWait();
                gate.SetResult();
            });
            var stop = Task.Run(async () =>
            {
                barrier.SignalAndWait();
                await h.Dispatcher.StopAsync(CancellationToken.None);
            });
            await Task.WhenAll(finish, stop).WaitAsync(TimeSpan.FromSeconds(10));

            h.Dispatcher.ExecuteTask!.IsCompleted.Should().BeTrue($"iteration {i}");
            (await h.Store.NextCompletionAsync()).Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        }
    }
}
