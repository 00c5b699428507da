using Microsoft.Extensions.Options;
using Webhooks.Sender.Delivery;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Delivery;

public sealed class RetryPolicyTests
{
    [Fact]
    public void GetDelay_DefaultSchedule_IsTheDesignScheduleThenExhausted()
    {
        var policy = new RetryPolicy(Options.Create(new WebhookSenderOptions()), () => 0);

        var delays = Enumerable.Range(1, 8).Select(n => policy.GetDelay(n, null)).ToList();

        delays.Should().Equal(
            TimeSpan.FromSeconds(5),
            TimeSpan.FromMinutes(5),
            TimeSpan.FromMinutes(30),
            TimeSpan.FromHours(2),
            TimeSpan.FromHours(5),
            TimeSpan.FromHours(10),
            TimeSpan.FromHours(10),
            null);
        policy.MaxAttempts.Should().Be(8);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.999999)]
    public void GetDelay_WithJitter_NeverEarlierThanTheBaseAndAtMostTheFractionLater(double random)
    {
        var options = new WebhookSenderOptions { RetryJitter = 0.2 };
        var policy = new RetryPolicy(Options.Create(options), () => random);

        for (var attempt = 1; attempt <= options.RetryDelays.Count; attempt++)
        {
            var baseDelay = options.RetryDelays[attempt - 1];
            var delay = policy.GetDelay(attempt, null)!.Value;
            delay.Should().BeGreaterThanOrEqualTo(baseDelay);
            delay.Should().BeLessThanOrEqualTo(baseDelay * 1.2);
        }
    }

    [Fact]
    public void GetDelay_WithRealRandomJitter_StaysWithinBoundsOverManyDraws()
    {
        var policy = new RetryPolicy(Options.Create(new WebhookSenderOptions { RetryJitter = 0.5 }));

        var delays = Enumerable.Range(0, 1000).Select(_ => policy.GetDelay(1, null)!.Value).ToList();

        delays.Should().OnlyContain(d => d >= TimeSpan.FromSeconds(5) && d <= TimeSpan.FromSeconds(7.5));
        delays.Distinct().Should().HaveCountGreaterThan(1, "jitter spreads retries out");
    }

    [Fact]
    public void GetDelay_RetryAfterLongerThanTheSchedule_IsHonoured()
    {
        var policy = new RetryPolicy(Options.Create(new WebhookSenderOptions { RetryJitter = 0 }), () => 0);

        policy.GetDelay(1, TimeSpan.FromSeconds(90)).Should().Be(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public void GetDelay_RetryAfterBeyondTheCap_IsCapped()
    {
        var policy = new RetryPolicy(Options.Create(new WebhookSenderOptions { RetryJitter = 0, MaxRetryAfter = TimeSpan.FromMinutes(10) }), () => 0);

        policy.GetDelay(1, TimeSpan.FromDays(2)).Should().Be(TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void GetDelay_RetryAfterShorterThanTheSchedule_KeepsTheSchedule()
    {
        var policy = new RetryPolicy(Options.Create(new WebhookSenderOptions { RetryJitter = 0 }), () => 0);

        policy.GetDelay(2, TimeSpan.FromSeconds(1)).Should().Be(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void GetDelay_CustomSchedule_IsUsedAndEmptyMeansNoRetries()
    {
        var custom = new RetryPolicy(Options.Create(new WebhookSenderOptions { RetryJitter = 0, RetryDelays = [TimeSpan.FromSeconds(1)] }), () => 0);
        var none = new RetryPolicy(Options.Create(new WebhookSenderOptions { RetryDelays = [] }), () => 0);

        custom.GetDelay(1, null).Should().Be(TimeSpan.FromSeconds(1));
        custom.GetDelay(2, null).Should().BeNull();
        none.GetDelay(1, null).Should().BeNull();
        none.MaxAttempts.Should().Be(1);
    }
}
