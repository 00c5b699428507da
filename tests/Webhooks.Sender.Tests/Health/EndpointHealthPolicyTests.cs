using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.Health;
using Webhooks.Sender;
using static Webhooks.Sender.Tests.Health.HealthTestSubscriptions;

namespace Webhooks.Sender.Tests.Health;

public class EndpointHealthPolicyTests
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly EndpointHealthPolicy _policy = new(Window);

    [Fact]
    public void RecordFailure_Gone_DisablesAtOnce()
    {
        var verdict = _policy.RecordFailure(Create(), 410, _time.GetUtcNow());

        verdict.ShouldDisable.Should().BeTrue();
        verdict.Disable.Should().Be(WebhookSubscriptionDisabledReason.EndpointGone);
    }

    [Fact]
    public void RecordFailure_Gone_DisablesEvenWithoutAWindow()
    {
        var policy = new EndpointHealthPolicy(disableAfter: null);

        policy.RecordFailure(Create(), 410, _time.GetUtcNow()).Disable.Should().Be(WebhookSubscriptionDisabledReason.EndpointGone);
    }

    [Fact]
    public void RecordFailure_FailingShorterThanTheWindow_KeepsTheSubscription()
    {
        var subscription = Create();
        var first = _policy.RecordFailure(subscription, 500, _time.GetUtcNow());
        _time.Advance(Window - TimeSpan.FromSeconds(1));

        var verdict = _policy.RecordFailure(subscription, null, _time.GetUtcNow());

        verdict.ShouldDisable.Should().BeFalse();
        verdict.FailingSince.Should().Be(first.FailingSince);
    }

    [Fact]
    public void RecordFailure_FailingForTheWindow_Disables()
    {
        var subscription = Create();
        var start = _time.GetUtcNow();
        _policy.RecordFailure(subscription, 503, start);
        _time.Advance(Window);

        var verdict = _policy.RecordFailure(subscription, 503, _time.GetUtcNow());

        verdict.Disable.Should().Be(WebhookSubscriptionDisabledReason.FailingTooLong);
        verdict.FailingSince.Should().Be(start);
    }

    [Fact]
    public void RecordSuccess_InTheWindow_StartsItAgain()
    {
        var subscription = Create();
        _policy.RecordFailure(subscription, 500, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromDays(4));
        _policy.RecordSuccess(subscription.Id);
        _policy.RecordFailure(subscription, 500, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromDays(4));

        _policy.RecordFailure(subscription, 500, _time.GetUtcNow()).ShouldDisable.Should().BeFalse();
        _policy.Count.Should().Be(1);
    }

    [Fact]
    public void RecordFailure_FirstFailureAfterLongSilence_DoesNotDisable()
    {
        // A subscription that had no traffic for ten days has not been failing for ten days.
        var subscription = Create(updatedAt: _time.GetUtcNow());
        _time.Advance(TimeSpan.FromDays(10));

        _policy.RecordFailure(subscription, 500, _time.GetUtcNow()).ShouldDisable.Should().BeFalse();
    }

    [Fact]
    public void RecordFailure_SubscriptionChangedSinceFailuresBegan_CountsFromTheChange()
    {
        var subscription = Create(updatedAt: _time.GetUtcNow());
        _policy.RecordFailure(subscription, 500, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromDays(3));
        var reenabled = subscription with { UpdatedAt = _time.GetUtcNow() };
        _time.Advance(TimeSpan.FromDays(3));

        var verdict = _policy.RecordFailure(reenabled, 500, _time.GetUtcNow());

        verdict.ShouldDisable.Should().BeFalse();
        verdict.FailingSince.Should().Be(reenabled.UpdatedAt);
    }

    [Fact]
    public void RecordFailure_WithoutWindow_NeverDisablesForFailing()
    {
        var policy = new EndpointHealthPolicy(disableAfter: null);
        var subscription = Create();
        policy.RecordFailure(subscription, 500, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromDays(365));

        policy.RecordFailure(subscription, 500, _time.GetUtcNow()).ShouldDisable.Should().BeFalse();
        policy.Count.Should().Be(0, "without a window there is nothing to remember");
    }

    [Fact]
    public void Forget_DropsTheEntry()
    {
        _policy.RecordFailure(Create(), 500, _time.GetUtcNow());

        _policy.Forget("sub_a");

        _policy.Count.Should().Be(0);
    }

    [Fact]
    public void RecordFailure_AtCapacity_DropsTheStalestEntries()
    {
        var policy = new EndpointHealthPolicy(Window, capacity: 10);
        for (var i = 0; i < 10; i++)
        {
            policy.RecordFailure(Create("sub_" + i), 500, _time.GetUtcNow());
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        policy.RecordFailure(Create("sub_new"), 500, _time.GetUtcNow());
        _time.Advance(Window);

        policy.Count.Should().Be(10);
        policy.RecordFailure(Create("sub_0"), 500, _time.GetUtcNow()).ShouldDisable.Should().BeFalse("its entry was the stalest and was dropped");
        policy.RecordFailure(Create("sub_9"), 500, _time.GetUtcNow()).ShouldDisable.Should().BeTrue();
    }

    [Fact]
    public void Describe_SaysWhatHappenedAndWhen()
    {
        var now = _time.GetUtcNow();

        EndpointHealthPolicy.Describe(WebhookSubscriptionDisabledReason.EndpointGone, now, now)
            .Should().Be("The endpoint answered 410 Gone at 2026-11-28T12:00:00.0000000+00:00.");
        EndpointHealthPolicy.Describe(WebhookSubscriptionDisabledReason.FailingTooLong, now - TimeSpan.FromDays(5.5), now)
            .Should().Be("Every attempt failed from 2026-11-23T00:00:00.0000000+00:00 to 2026-11-28T12:00:00.0000000+00:00 (5.5 days) without a success.");
    }
}
