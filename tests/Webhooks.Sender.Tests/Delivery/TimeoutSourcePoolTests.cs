using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.Delivery;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Delivery;

public sealed class TimeoutSourcePoolTests
{
    [Fact]
    public void Rent_CancelsAfterTheTimeoutOnThePoolsClock()
    {
        var time = new FakeTimeProvider();
        var pool = new TimeoutSourcePool(time);

        var source = pool.Rent(TimeSpan.FromSeconds(15));
        time.Advance(TimeSpan.FromSeconds(14));
        source.IsCancellationRequested.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(1));

        source.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public async Task Return_OnTheSystemClock_ReusesAnUncancelledSource_WithItsOldTimerStopped()
    {
        var pool = new TimeoutSourcePool(TimeProvider.System);
        var first = pool.Rent(TimeSpan.FromMilliseconds(50));
        pool.Return(first);

        var second = pool.Rent(TimeSpan.FromMinutes(5));
        await Task.Delay(200);

        second.Should().BeSameAs(first);
        second.IsCancellationRequested.Should().BeFalse("the 50 ms timer was stopped when the source was returned");
        pool.Return(second);
        pool.Rent(TimeSpan.FromMilliseconds(1)).Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)).Should().BeTrue();
    }

    [Fact]
    public void Return_OnAnotherClock_DisposesTheSource_AndTheNextRentStillTimesOut()
    {
        // A source timed by a custom TimeProvider cannot be reset (the runtime cannot stop its timer for certain).
        var time = new FakeTimeProvider();
        var pool = new TimeoutSourcePool(time);
        var first = pool.Rent(TimeSpan.FromSeconds(5));
        pool.Return(first);

        time.Advance(TimeSpan.FromSeconds(10));
        var second = pool.Rent(TimeSpan.FromSeconds(5));

        second.Should().NotBeSameAs(first);
        second.IsCancellationRequested.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(5));
        second.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public void Return_OfACancelledSource_DisposesIt_AndTheNextRentIsFresh()
    {
        var time = new FakeTimeProvider();
        var pool = new TimeoutSourcePool(time);
        var timedOut = pool.Rent(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));

        pool.Return(timedOut);
        var next = pool.Rent(TimeSpan.FromSeconds(1));

        next.Should().NotBeSameAs(timedOut);
        next.IsCancellationRequested.Should().BeFalse();
        var act = () => timedOut.Token.WaitHandle;
        act.Should().Throw<ObjectDisposedException>();
    }
}
