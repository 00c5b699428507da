using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Receiver.Tests;

public sealed class WebhookReceiverEndpointRouteBuilderExtensionsTests
{
    [Fact]
    public async Task MapWebhookReceiver_WithoutAddWebhookReceiver_ThrowsNamingIt()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();

        var act = () => app.MapWebhookReceiver("/webhooks");

        act.Should().Throw<InvalidOperationException>().WithMessage("*builder.Services.AddWebhookReceiver(...)*");
    }

    [Fact]
    public async Task MapWebhookReceiver_UnknownName_ThrowsNamingTheCallAndTheKnownReceivers()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddWebhookReceiver(o => o.UseScheme(new TestScheme()));
        await using var app = builder.Build();

        var act = () => app.MapWebhookReceiver("/hooks/github", "github");

        act.Should().Throw<InvalidOperationException>().WithMessage("*AddWebhookReceiver(\"github\", ...)*(default)*");
    }

    [Fact]
    public async Task MapWebhookReceiver_ReturnsConventionBuilder_ConventionsApply()
    {
        var applied = false;
        await using var host = await ReceiverHost.StartAsync(
            services => services.AddWebhookReceiver(o => o.UseScheme(new TestScheme())),
            app => app.MapWebhookReceiver("/webhooks").Add(_ => applied = true));

        var response = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", "{}"));

        applied.Should().BeTrue();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task MapWebhookReceiver_Get_405WithAllowHeader()
    {
        await using var host = await ReceiverHost.StartAsync(services => services.AddWebhookReceiver(o => o.UseScheme(new TestScheme())));

        var response = await host.Client.GetAsync(new Uri("/webhooks", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().Equal(HttpMethods.Post);
    }
}
