using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Core;

namespace Webhooks.Sender.Tests.Events;

public sealed partial class WebhookEventCatalogTests
{
    [Fact]
    public void Catalog_WithoutRegistrations_IsEmpty()
    {
        var services = new ServiceCollection();
        services.AddWebhookSender();
        using var provider = services.BuildServiceProvider();

        var catalog = provider.GetRequiredService<IWebhookEventCatalog>();

        catalog.EventTypes.Should().BeEmpty();
        catalog.Find("order.created").Should().BeNull();
    }

    [Fact]
    public void AddEventType_EveryOverload_ListsTheTypesByNameWithTheirMetadata()
    {
        var services = new ServiceCollection();
        services.AddWebhookSender(o => o.SerializerOptions = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
            .AddEventType<OrderShipped>("An order left the warehouse.")
            .AddEventType(CatalogJson.Default.InvoicePaid)
            .AddEventType("customer.deleted", "A customer was deleted.");
        using var provider = services.BuildServiceProvider();

        var catalog = provider.GetRequiredService<IWebhookEventCatalog>();

        catalog.EventTypes.Select(e => e.EventType).Should().Equal("customer.deleted", "invoice.paid", "order.shipped");
        var shipped = catalog.Find("order.shipped")!;
        shipped.Description.Should().Be("An order left the warehouse.");
        shipped.PayloadType.Should().Be<OrderShipped>();
        shipped.PayloadTypeInfo!.Properties.Select(p => p.Name).Should().Equal(["order_id"], "the metadata is the publisher's: the sender's serializer options");
        catalog.Find("invoice.paid")!.PayloadTypeInfo.Should().BeSameAs(CatalogJson.Default.InvoicePaid);
        var deleted = catalog.Find("customer.deleted")!;
        deleted.PayloadType.Should().BeNull();
        deleted.PayloadTypeInfo.Should().BeNull();
    }

    [Fact]
    public void AddEventType_SameTypeTwice_AddsItOnce()
    {
        var services = new ServiceCollection();
        services.AddWebhookSender().AddEventType<OrderShipped>().AddEventType<OrderShipped>("again");
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IWebhookEventCatalog>().EventTypes.Should().ContainSingle();
    }

    [Fact]
    public void AddEventType_NameTakenByAnotherType_ThrowsNamingBoth()
    {
        var builder = new ServiceCollection().AddWebhookSender().AddEventType<OrderShipped>();

        var act = () => builder.AddEventType<OrderShippedV2>();

        act.Should().Throw<InvalidOperationException>().WithMessage("*'order.shipped'*OrderShipped'*OrderShippedV2*");
    }

    [Fact]
    public void AddEventType_InvalidNameOrNoAttribute_Throws()
    {
        var builder = new ServiceCollection().AddWebhookSender();

        ((Action)(() => builder.AddEventType("order created"))).Should().Throw<ArgumentException>().WithMessage("*'order created'*");
        ((Action)(() => builder.AddEventType<NoAttribute>())).Should().Throw<InvalidOperationException>().WithMessage("*[WebhookEvent]*");
    }

    [WebhookEvent("order.shipped")]
    public sealed record OrderShipped(int OrderId);

    [WebhookEvent("order.shipped")]
    public sealed record OrderShippedV2(int OrderId);

    [WebhookEvent("invoice.paid")]
    public sealed record InvoicePaid(string InvoiceId);

    public sealed record NoAttribute(int Id);

    [JsonSerializable(typeof(InvoicePaid))]
    internal sealed partial class CatalogJson : JsonSerializerContext;
}
