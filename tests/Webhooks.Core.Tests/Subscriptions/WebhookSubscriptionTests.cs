using Webhooks.Core;

namespace Webhooks.Core.Tests.Subscriptions;

public class WebhookSubscriptionTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    // Compared by reference: the test is about selection and order.
    private static WebhookSecret NewSecret() => WebhookSecret.Generate();

    private static WebhookSubscription Subscription(params WebhookSubscriptionSecret[] secrets) =>
        new() { Id = "sub_1", Url = new Uri("https://example.com/hooks"), Secrets = secrets };

    [Fact]
    public void GetActiveSecrets_NoSecrets_IsEmpty()
    {
        Subscription().GetActiveSecrets(Now).Should().BeEmpty();
    }

    [Fact]
    public void GetActiveSecrets_RotationOverlap_NewestFirst()
    {
        WebhookSecret oldKey = NewSecret(), newKey = NewSecret();
        var subscription = Subscription(
            new(oldKey, Now.AddDays(-30), Now.AddHours(24)),
            new(newKey, Now.AddMinutes(-5)));

        var active = subscription.GetActiveSecrets(Now);

        active.Should().HaveCount(2);
        active[0].Should().BeSameAs(newKey);
        active[1].Should().BeSameAs(oldKey);
    }

    [Fact]
    public void GetActiveSecrets_ExpiredSecret_IsLeftOut_AtExpiryExactly()
    {
        WebhookSecret oldKey = NewSecret(), newKey = NewSecret();
        var subscription = Subscription(new(oldKey, Now.AddDays(-30), Now), new(newKey, Now.AddMinutes(-5)));

        var active = subscription.GetActiveSecrets(Now);

        active.Should().ContainSingle().Which.Should().BeSameAs(newKey);
        subscription.GetActiveSecrets(Now.AddTicks(-1)).Should().HaveCount(2);
    }

    [Fact]
    public void GetActiveSecrets_AllExpired_IsEmpty()
    {
        var subscription = Subscription(new WebhookSubscriptionSecret(NewSecret(), Now.AddDays(-2), Now.AddDays(-1)));

        subscription.GetActiveSecrets(Now).Should().BeEmpty();
    }

    [Fact]
    public void GetActiveSecrets_ManyUnordered_SortedByCreationDescending_TiesKeepListOrder()
    {
        WebhookSecret a = NewSecret(), b = NewSecret(), c = NewSecret(), d = NewSecret();
        var subscription = Subscription(
            new(a, Now.AddDays(-3)),
            new(b, Now.AddDays(-1)),
            new(c, Now.AddDays(-3)),
            new(d, Now.AddDays(-2), Now.AddDays(1)));

        var active = subscription.GetActiveSecrets(Now);

        active.Should().HaveCount(4);
        active[0].Should().BeSameAs(b);
        active[1].Should().BeSameAs(d);
        active[2].Should().BeSameAs(a);
        active[3].Should().BeSameAs(c);
    }

    [Fact]
    public void Defaults_AreEnabledAndReceiveEverything()
    {
        var subscription = Subscription();

        subscription.Enabled.Should().BeTrue();
        subscription.EventTypes.Should().BeEmpty();
        subscription.Secrets.Should().BeEmpty();
        subscription.Headers.Should().BeEmpty();
    }
}
