using Microsoft.Extensions.Time.Testing;

namespace Webhooks.Core.Tests;

public class WebhookIdTests
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    [Fact]
    public void New_HasPrefixAnd26CrockfordCharacters()
    {
        var id = WebhookId.NewMessageId();

        id.Should().StartWith("msg_").And.HaveLength(4 + 26);
        id[4..].ToCharArray().Should().OnlyContain(c => Crockford.Contains(c));
    }

    [Theory]
    [InlineData(WebhookId.SubscriptionPrefix)]
    [InlineData(WebhookId.DeliveryPrefix)]
    [InlineData(WebhookId.AttemptPrefix)]
    [InlineData("")]
    [InlineData("custom-")]
    public void New_UsesGivenPrefix(string prefix)
    {
        WebhookId.New(prefix).Should().StartWith(prefix).And.HaveLength(prefix.Length + 26);
    }

    [Fact]
    public void New_NullPrefix_Throws()
    {
        var act = () => WebhookId.New(null!);

        act.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void New_EncodesTimeFromTimeProvider()
    {
        var time = new DateTimeOffset(2024, 5, 1, 12, 30, 0, 123, TimeSpan.Zero);
        var id = WebhookId.New("x_", new FakeTimeProvider(time));

        WebhookId.TryGetTimestamp(id, 2, out var decoded).Should().BeTrue();
        decoded.Should().Be(time);
    }

    [Fact]
    public void New_KnownTime_EncodesLikeUlid()
    {
        // ULID's spec example time 1469918176385 ms encodes as 01ARYZ6S41.
        var id = WebhookId.New("", new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1469918176385)));

        id[..10].Should().Be("01ARYZ6S41");
    }

    [Fact]
    public void New_SameMillisecond_IsStrictlyIncreasing()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var ids = new string[1000];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = WebhookId.New("m_", clock);
        }

        ids.Should().BeInAscendingOrder(StringComparer.Ordinal).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public void New_LaterMillisecond_SortsAfter()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var first = WebhookId.New("m_", clock);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = WebhookId.New("m_", clock);

        string.CompareOrdinal(first, second).Should().BeNegative();
    }

    [Fact]
    public void New_ManyThreads_AllUniqueAndEachThreadOrdered()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2032, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var perThread = new string[8][];
        Parallel.For(0, perThread.Length, t =>
        {
            var ids = new string[2000];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = WebhookId.New("p_", clock);
            }

            perThread[t] = ids;
        });

        perThread.SelectMany(x => x).Should().OnlyHaveUniqueItems();
        foreach (var ids in perThread)
        {
            ids.Should().BeInAscendingOrder(StringComparer.Ordinal);
        }
    }

    [Fact]
    public void New_RandomPart_DiffersAcrossMilliseconds()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2033, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var a = WebhookId.New("", clock);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var b = WebhookId.New("", clock);

        a[10..].Should().NotBe(b[10..]);
    }

    [Fact]
    public void New_ClockMovedBackwards_CarriesTheEarlierTime()
    {
        var late = new DateTimeOffset(2034, 1, 1, 0, 0, 1, TimeSpan.Zero);
        var early = late.AddSeconds(-1);
        WebhookId.New("b_", new FakeTimeProvider(late));

        var id = WebhookId.New("b_", new FakeTimeProvider(early));

        WebhookId.TryGetTimestamp(id, 2, out var decoded).Should().BeTrue();
        decoded.Should().Be(early);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("msg_01ARYZ6S41")]
    [InlineData("msg_01ARYZ6S4UUUUUUUUUUUUUUUUU")]
    [InlineData("msg_81ARYZ6S41TSV4RRFFQ69G5FAV")]
    public void TryGetTimestamp_NotAnId_ReturnsFalse(string? id)
    {
        WebhookId.TryGetTimestamp(id, 4, out _).Should().BeFalse();
    }

    [Fact]
    public void LowerBound_Time_SortsBetweenIdsOfTheMillisecondBeforeAndIdsFromThatMillisecond()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
        var before = WebhookId.New(WebhookId.DeliveryPrefix, time);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var bound = WebhookId.LowerBound(WebhookId.DeliveryPrefix, time.GetUtcNow());
        var at = WebhookId.New(WebhookId.DeliveryPrefix, time);

        string.CompareOrdinal(before, bound).Should().BeNegative();
        string.CompareOrdinal(bound, at).Should().BeLessThanOrEqualTo(0);
        bound.Should().HaveLength(at.Length).And.StartWith(WebhookId.DeliveryPrefix).And.EndWith("0000000000000000");
        bound[..14].Should().Be(at[..14], "the time part is the same");
    }

    [Fact]
    public void LowerBound_TimeBeforeTheEpoch_IsClampedToTheSmallestId() =>
        WebhookId.LowerBound("x_", DateTimeOffset.MinValue).Should().Be("x_" + new string('0', 26));
}
