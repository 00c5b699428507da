using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhooks.Sender;

namespace Webhooks.Dashboard.Tests;

/// <summary>The portal offers the sender's event catalog when its own list is empty.</summary>
public sealed class PortalCatalogTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NewEndpointForm_OffersTheSendersCatalogUnlessThePortalHasItsOwnList(bool ownList)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddWebhookSender(o => o.DispatcherEnabled = false)
            .AddEventType("order.created", "An order was placed.")
            .AddEventType("invoice.paid");
        builder.Services.AddAntiforgery();
        await using var app = builder.Build();
        var options = new WebhookPortalOptions { ResolveTenant = static _ => ValueTask.FromResult<string?>("acme") };
        if (ownList)
        {
            options.EventTypes.Add("refund.issued");
        }

        app.MapWebhookPortal("/portal", options);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var html = await client.GetStringAsync(new Uri("/portal/endpoints/new", UriKind.Relative));

        if (ownList)
        {
            html.Should().Contain("value=\"refund.issued\"").And.NotContain("value=\"order.created\"");
        }
        else
        {
            html.Should().Contain("value=\"invoice.paid\"").And.Contain("value=\"order.created\"");
        }
    }
}
