using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender;

namespace Webhooks.Testing.Tests;

/// <summary>The sender, a real loopback endpoint and fake time: retries over hours run in milliseconds, without sleeps.</summary>
public sealed class WebhookSenderTestDriverTests
{
    [Fact]
    public async Task RunUntilCompleteAsync_DefaultRetrySchedule_EightAttemptsOverMoreThan27HoursOfFakeTime()
    {
        var time = new FakeTimeProvider(TestData.Start);
        await using var endpoint = await WebhookTestEndpoint.StartAsync(new() { TimeProvider = time });
        endpoint.FailFirst(7, HttpStatusCode.ServiceUnavailable);
        await using var app = await SenderApp.StartAsync(time);
        await app.Subscriptions.CreateAsync(new(endpoint.Url) { Secret = endpoint.Secret });
        var wall = Stopwatch.StartNew();

        var messageId = await app.Publisher.PublishAsync(new OrderCreated(42));
        var completed = await app.Driver.RunUntilCompleteAsync();

        wall.Stop();
        completed.Should().BeTrue();
        var deliveries = endpoint.Deliveries;
        deliveries.Select(d => d.StatusCode).Should().Equal(503, 503, 503, 503, 503, 503, 503, 200);
        deliveries.Should().OnlyContain(d => d.Verified && d.MessageId == messageId && d.EventType == "order.created");
        var gaps = deliveries.Zip(deliveries.Skip(1), (a, b) => b.ReceivedAt - a.ReceivedAt).ToList();
        var schedule = WebhookSenderOptions.DefaultRetryDelays;
        for (var i = 0; i < gaps.Count; i++)
        {
            gaps[i].Should().BeGreaterThanOrEqualTo(schedule[i], $"retry {i + 1} waits at least its base delay");
        }

        (time.GetUtcNow() - TestData.Start).Should().BeGreaterThan(TimeSpan.FromHours(27));
        var message = await app.Deliveries.GetMessageAsync(messageId);
        message.Should().NotBeNull();

        // Not a bound the test relies on: a record of how little wall time the hours took.
        Console.WriteLine($"8 attempts over {time.GetUtcNow() - TestData.Start} of fake time in {wall.ElapsedMilliseconds} ms of wall time");
    }

    [Fact]
    public async Task RunDueAsync_AttemptsWhatIsDueNow_WithoutMovingTheClock()
    {
        var time = new FakeTimeProvider(TestData.Start);
        await using var endpoint = await WebhookTestEndpoint.StartAsync(new() { TimeProvider = time });
        endpoint.FailFirst(1, HttpStatusCode.InternalServerError);
        await using var app = await SenderApp.StartAsync(time);
        await app.Subscriptions.CreateAsync(new(endpoint.Url) { Secret = endpoint.Secret });

        await app.Publisher.PublishAsync(new OrderCreated(1));
        await app.Publisher.PublishAsync(new OrderCreated(2));
        await app.Driver.RunDueAsync();

        endpoint.Deliveries.Select(d => d.StatusCode).Should().Equal(500, 500);
        time.GetUtcNow().Should().Be(TestData.Start);
    }

    [Fact]
    public async Task AdvanceAsync_StopsAtEachDueTime_AndEndsAtTheNewTime()
    {
        var time = new FakeTimeProvider(TestData.Start);
        await using var endpoint = await WebhookTestEndpoint.StartAsync(new() { TimeProvider = time });
        endpoint.FailFirst(10, HttpStatusCode.BadGateway);
        await using var app = await SenderApp.StartAsync(time, o => o.RetryJitter = 0);
        await app.Subscriptions.CreateAsync(new(endpoint.Url) { Secret = endpoint.Secret });

        await app.Publisher.PublishAsync(new OrderCreated(1));
        await app.Driver.AdvanceAsync(TimeSpan.FromMinutes(6));

        // Immediately, after 5 s, after 5 min; the next (30 min) is not due yet.
        endpoint.Deliveries.Select(d => d.ReceivedAt - TestData.Start).Should().Equal(
            TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5) + TimeSpan.FromMinutes(5));
        time.GetUtcNow().Should().Be(TestData.Start + TimeSpan.FromMinutes(6));
    }

    [Fact]
    public async Task RunUntilCompleteAsync_EndpointGone_DisablesTheSubscriptionAfterOneAttempt()
    {
        var time = new FakeTimeProvider(TestData.Start);
        await using var endpoint = await WebhookTestEndpoint.StartAsync(new() { TimeProvider = time });
        endpoint.RespondWith(HttpStatusCode.Gone);
        await using var app = await SenderApp.StartAsync(time);
        var subscription = await app.Subscriptions.CreateAsync(new(endpoint.Url) { Secret = endpoint.Secret });

        await app.Publisher.PublishAsync(new OrderCreated(1));
        (await app.Driver.RunUntilCompleteAsync()).Should().BeTrue();

        endpoint.Deliveries.Should().ContainSingle().Which.StatusCode.Should().Be(410);
        (await app.Subscriptions.GetAsync(subscription.Id))!.Enabled.Should().BeFalse();
    }

    [Fact]
    public async Task RunUntilCompleteAsync_LimitReachedFirst_ReturnsFalse()
    {
        var time = new FakeTimeProvider(TestData.Start);
        await using var endpoint = await WebhookTestEndpoint.StartAsync(new() { TimeProvider = time });
        endpoint.RespondWith(HttpStatusCode.ServiceUnavailable);
        await using var app = await SenderApp.StartAsync(time);
        await app.Subscriptions.CreateAsync(new(endpoint.Url) { Secret = endpoint.Secret });

        await app.Publisher.PublishAsync(new OrderCreated(1));
        var completed = await app.Driver.RunUntilCompleteAsync(TimeSpan.FromHours(1));

        completed.Should().BeFalse();
        endpoint.Deliveries.Should().HaveCount(4);
        time.GetUtcNow().Should().Be(TestData.Start + TimeSpan.FromHours(1));
    }

    [Fact]
    public void Constructor_ClockNotTheApps_SaysHowToRegisterIt()
    {
        using var services = new ServiceCollection().AddLogging().AddWebhookSender().Services.BuildServiceProvider();

        var act = () => new WebhookSenderTestDriver(services, new FakeTimeProvider());

        act.Should().Throw<ArgumentException>().WithMessage("*AddSingleton<TimeProvider>(time)*");
    }
}
