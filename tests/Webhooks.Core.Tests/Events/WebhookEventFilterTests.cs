using Webhooks.Core.Events;
using Webhooks.Core;

namespace Webhooks.Core.Tests.Events;

public class WebhookEventFilterTests
{
    [Theory]
    [InlineData("*")]
    [InlineData("order.created")]
    [InlineData("ping")]
    [InlineData("order.*")]
    [InlineData("order.item.*")]
    public void IsValid_WellFormedPattern_IsTrue(string pattern)
    {
        WebhookEventFilter.IsValid(pattern).Should().BeTrue();
        WebhookEventFilter.TryParse(pattern, out var filter).Should().BeTrue();
        filter!.Pattern.Should().Be(pattern);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".*")]
    [InlineData("**")]
    [InlineData("order*")]
    [InlineData("*.created")]
    [InlineData("order.*.added")]
    [InlineData("order.**")]
    [InlineData("order..*")]
    [InlineData(" order.*")]
    [InlineData("order.")]
    public void IsValid_BadPattern_IsFalse(string? pattern)
    {
        WebhookEventFilter.IsValid(pattern).Should().BeFalse();
        WebhookEventFilter.TryParse(pattern, out var filter).Should().BeFalse();
        filter.Should().BeNull();
    }

    [Fact]
    public void Parse_BadPattern_ThrowsQuotingIt()
    {
        var act = () => WebhookEventFilter.Parse("*.created");

        act.Should().Throw<ArgumentException>().WithParameterName("pattern").WithMessage("The event filter '*.created' is not valid*'.*'*");
    }

    [Fact]
    public void Parse_TooLong_Throws()
    {
        var act = () => WebhookEventFilter.Parse(new string('a', WebhookEventType.MaxLength) + ".*");

        act.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData("order.created", "order.created", true)]
    [InlineData("order.created", "order.Created", false)]
    [InlineData("order.created", "order.created.v2", false)]
    [InlineData("order.created", "order", false)]
    [InlineData("order.*", "order.created", true)]
    [InlineData("order.*", "order.item.added", true)]
    [InlineData("order.*", "order", false)]
    [InlineData("order.*", "orders.created", false)]
    [InlineData("order.*", "invoice.paid", false)]
    [InlineData("order.item.*", "order.item.added", true)]
    [InlineData("order.item.*", "order.created", false)]
    [InlineData("*", "anything.at.all", true)]
    [InlineData("*", "ping", true)]
    public void Matches_FollowsRules(string pattern, string eventType, bool expected)
    {
        WebhookEventFilter.Parse(pattern).Matches(eventType).Should().Be(expected);
        WebhookEventFilter.MatchesAny([pattern], eventType).Should().Be(expected);
    }

    [Fact]
    public void MatchesAny_EmptyList_MatchesEverything()
    {
        WebhookEventFilter.MatchesAny([], "order.created").Should().BeTrue();
    }

    [Fact]
    public void MatchesAny_SeveralPatterns_MatchesWhenAnyDoes()
    {
        string[] patterns = ["invoice.paid", "order.*"];

        WebhookEventFilter.MatchesAny(patterns, "order.created").Should().BeTrue();
        WebhookEventFilter.MatchesAny(patterns, "invoice.paid").Should().BeTrue();
        WebhookEventFilter.MatchesAny(patterns, "invoice.created").Should().BeFalse();
    }

    [Fact]
    public void Matches_DoesNotAllocate()
    {
        var filter = WebhookEventFilter.Parse("order.*");
        var patterns = new List<string> { "invoice.paid", "order.*" };
        filter.Matches("order.created");
        WebhookEventFilter.MatchesAny(patterns, "order.created");

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            filter.Matches("order.created");
            WebhookEventFilter.MatchesAny(patterns, "order.item.added");
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void All_IsWildcard_AndParseOfStarReturnsIt()
    {
        WebhookEventFilter.All.Pattern.Should().Be("*");
        WebhookEventFilter.Parse("*").Should().BeSameAs(WebhookEventFilter.All);
    }

    [Fact]
    public void Equality_IsByPattern()
    {
        var a = WebhookEventFilter.Parse("order.*");
        var b = WebhookEventFilter.Parse("order.*");

        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.Should().NotBe(WebhookEventFilter.Parse("order.created"));
        a.Equals(null).Should().BeFalse();
        b.ToString().Should().Be("order.*");
    }
}
