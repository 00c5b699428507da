using Webhooks.Core.Events;
using Webhooks.Core;

namespace Webhooks.Core.Tests.Events;

public class WebhookEventTypeTests
{
    [Theory]
    [InlineData("ping")]
    [InlineData("invoice.paid")]
    [InlineData("order.item.added")]
    [InlineData("Order_Created.v2")]
    [InlineData("_")]
    [InlineData("a.b.c.d.e.f")]
    [InlineData("123.456")]
    public void IsValid_WellFormedName_IsTrue(string name)
    {
        WebhookEventType.IsValid(name).Should().BeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData(".order")]
    [InlineData("order.")]
    [InlineData("order..created")]
    [InlineData("order created")]
    [InlineData(" order")]
    [InlineData("order\t")]
    [InlineData("order-created")]
    [InlineData("order.*")]
    [InlineData("*")]
    [InlineData("orders/create")]
    [InlineData("commande.créée")]
    [InlineData("order.ｃreated")]
    [InlineData("order\0")]
    public void IsValid_BadName_IsFalse(string? name)
    {
        WebhookEventType.IsValid(name).Should().BeFalse();
    }

    [Fact]
    public void IsValid_AtMaxLength_IsTrue_AndOneOver_IsFalse()
    {
        WebhookEventType.IsValid(new string('a', WebhookEventType.MaxLength)).Should().BeTrue();
        WebhookEventType.IsValid(new string('a', WebhookEventType.MaxLength + 1)).Should().BeFalse();
    }

    [Fact]
    public void ThrowIfInvalid_BadName_QuotesValueAndSaysWhatIsAllowed()
    {
        var act = () => WebhookEventType.ThrowIfInvalid("order..created", "eventType");

        act.Should().Throw<ArgumentException>()
            .WithParameterName("eventType")
            .WithMessage("*'order..created'*empty segment*letters, digits*underscores*");
    }

    [Fact]
    public void ThrowIfInvalid_VeryLongName_QuotesShortenedValue()
    {
        var name = new string('x', 1000);

        var act = () => WebhookEventType.ThrowIfInvalid(name);

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("1000 characters").And.NotContain(name);
    }

    [Fact]
    public void ThrowIfInvalid_Null_ThrowsArgumentNull()
    {
        var act = () => WebhookEventType.ThrowIfInvalid(null, "type");

        act.Should().Throw<ArgumentNullException>().WithParameterName("type");
    }

    [Fact]
    public void ThrowIfInvalid_ValidName_DoesNotThrow()
    {
        var act = () => WebhookEventType.ThrowIfInvalid("invoice.paid");

        act.Should().NotThrow();
    }

    [Fact]
    public void Of_AttributedType_ReturnsName()
    {
        WebhookEventType.Of<OrderCreated>().Should().Be("order.created");
        WebhookEventType.Of(typeof(Ping)).Should().Be("ping");
    }

    [Fact]
    public void Of_CalledTwice_ReturnsCachedInstance()
    {
        WebhookEventType.Of<OrderCreated>().Should().BeSameAs(WebhookEventType.Of<OrderCreated>());
    }

    [Fact]
    public void Of_TypeWithoutAttribute_ThrowsNamingTheType()
    {
        var act = () => WebhookEventType.Of<NotAnEvent>();

        act.Should().Throw<InvalidOperationException>().WithMessage("*NotAnEvent*[WebhookEvent*");
    }

    [Fact]
    public void Of_InvalidAttribute_ThrowsQuotingTheName()
    {
        var act = () => WebhookEventType.Of<BadlyNamed>();

        act.Should().Throw<InvalidOperationException>().WithMessage("*BadlyNamed*'order created'*");
    }

    [Fact]
    public void Of_DerivedType_DoesNotInheritAttribute()
    {
        WebhookEventType.TryGet(typeof(DerivedOrderCreated), out _).Should().BeFalse();
    }

    [Fact]
    public void TryGet_ReportsPresenceAndValidity()
    {
        WebhookEventType.TryGet(typeof(OrderCreated), out var name).Should().BeTrue();
        name.Should().Be("order.created");
        WebhookEventType.TryGet(typeof(NotAnEvent), out name).Should().BeFalse();
        name.Should().BeNull();
        WebhookEventType.TryGet(typeof(BadlyNamed), out _).Should().BeFalse();
    }

    [WebhookEvent("order.created")]
    private class OrderCreated;

    private sealed class DerivedOrderCreated : OrderCreated;

    [WebhookEvent("ping")]
    private readonly record struct Ping;

    private sealed class NotAnEvent;

    [WebhookEvent("order created")]
    private sealed class BadlyNamed;
}
