using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Dashboard.Tests.Testing;
using Webhooks.Sender;
using Webhooks.Sender.Storage;

namespace Webhooks.Dashboard.Tests;

/// <summary>The pages over HTTP on a real Kestrel server: access rules, antiforgery, encoding, tenant isolation.</summary>
public sealed class DashboardHttpTests : IAsyncLifetime
{
    private DashboardApp _app = null!;
    private SeedResult _seed = null!;

    public async Task InitializeAsync()
    {
        _app = await DashboardApp.StartAsync();
        _seed = await _app.SeedAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void MapWebhookDashboard_WithoutSender_ThrowsNamingAddWebhookSender()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddAntiforgery();
        var app = builder.Build();

        var act = () => app.MapWebhookDashboard("/webhooks");

        act.Should().Throw<InvalidOperationException>().WithMessage("*AddWebhookSender*");
    }

    [Fact]
    public void MapWebhookPortal_WithoutAntiforgery_ThrowsNamingAddAntiforgery()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddWebhookSender();
        var app = builder.Build();

        var act = () => app.MapWebhookPortal("/portal", new WebhookPortalOptions { ResolveTenant = _ => ValueTask.FromResult<string?>("a") });

        act.Should().Throw<InvalidOperationException>().WithMessage("*AddAntiforgery()*");
    }

    [Fact]
    public void MapWebhookPortal_WithoutTenantResolver_ThrowsNamingTheOption()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddWebhookSender();
        builder.Services.AddAntiforgery();
        var app = builder.Build();

        var act = () => app.MapWebhookPortal("/portal", new WebhookPortalOptions());

        act.Should().Throw<ArgumentException>().WithMessage("*ResolveTenant*");
    }

    [Fact]
    public async Task Dashboard_RemoteRequestWithoutAuthorization_Gets403AndSaysWhy()
    {
        using var client = new DashboardClient(_app, remote: "198.51.100.7");

        var (status, body, _) = await client.GetAsync("/webhooks/endpoints");

        status.Should().Be(HttpStatusCode.Forbidden);
        body.Should().Contain("local requests only").And.Contain("RequireAuthorization");
        body.Should().NotContain(_seed.Orders.Id);
    }

    [Fact]
    public async Task Dashboard_LocalRequestWithoutAuthorization_ShowsTheLocalOnlyNotice()
    {
        using var client = new DashboardClient(_app);

        var (status, body, _) = await client.GetAsync("/webhooks");

        status.Should().Be(HttpStatusCode.OK);
        body.Should().Contain("Local requests only");
    }

    [Fact]
    public async Task Dashboard_AllowRemoteRequests_AnswersARemoteRequestWithoutTheNotice()
    {
        using var client = new DashboardClient(_app, remote: "198.51.100.7");

        var (status, body, _) = await client.GetAsync("/open/endpoints");

        status.Should().Be(HttpStatusCode.OK);
        body.Should().Contain(_seed.Orders.Id).And.NotContain("Local requests only");
    }

    [Fact]
    public async Task Pages_EveryAnswer_CarriesAContentSecurityPolicyWithoutScript()
    {
        using var client = new DashboardClient(_app);

        var (_, _, response) = await client.GetAsync("/webhooks/messages");

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().Contain("default-src 'none'").And.Contain("frame-ancestors 'none'").And.NotContain("script-src").And.NotContain("unsafe-inline");
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
    }

    [Fact]
    public async Task Pages_ScriptInPayloadHeaderUrlAndResponse_IsEncoded()
    {
        using var client = new DashboardClient(_app);

        var pages = new[]
        {
            (await client.GetAsync($"/webhooks/messages/{_seed.XssMessageId}")).Html,
            (await client.GetAsync($"/webhooks/deliveries/{_seed.XssDeliveryId}")).Html,
            (await client.GetAsync($"/webhooks/endpoints/{_seed.Globex.Id}")).Html,
            (await client.GetAsync("/webhooks/endpoints")).Html,
        };

        foreach (var html in pages)
        {
            html.Should().NotContain("<script").And.NotContain("<img");
        }

        pages[0].Should().Contain("&lt;script&gt;window.__xss=1&lt;/script&gt;", "the payload is shown, encoded");
        pages[1].Should().Contain("x-evil").And.Contain("&lt;script&gt;window.__xss=4", "the attempt URL, headers and excerpt are shown, encoded");
        pages[2].Should().Contain("window.__xss=3", "the endpoint URL is shown, encoded");
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_Gets400AndChangesNothing()
    {
        using var client = new DashboardClient(_app);

        var (status, _, _) = await client.PostRawAsync($"/webhooks/endpoints/{_seed.Orders.Id}/disable", ("reason", "csrf"));

        status.Should().Be(HttpStatusCode.BadRequest);
        (await _app.Subscriptions.GetAsync(_seed.Orders.Id))!.Enabled.Should().BeTrue();
    }

    [Fact]
    public async Task Post_InReadOnlyMode_Gets403AndShowsNoActions()
    {
        using var client = new DashboardClient(_app);
        var (_, page, _) = await client.GetAsync($"/readonly/endpoints/{_seed.Orders.Id}");

        var (status, _, _) = await client.PostAsync($"/webhooks/endpoints/{_seed.Orders.Id}", $"/readonly/endpoints/{_seed.Orders.Id}/disable");

        page.Should().NotContain("<form method=\"post\"");
        status.Should().Be(HttpStatusCode.Forbidden);
        (await _app.Subscriptions.GetAsync(_seed.Orders.Id))!.Enabled.Should().BeTrue();
    }

    [Fact]
    public async Task Disable_ThenEnable_ChangesTheEndpointAndRedirects()
    {
        using var client = new DashboardClient(_app);
        var page = $"/webhooks/endpoints/{_seed.Billing.Id}";

        var (status, _, response) = await client.PostAsync(page, page + "/disable", ("reason", "maintenance <b>"));
        (await _app.Subscriptions.GetAsync(_seed.Billing.Id))!.DisabledReason.Should().Be("maintenance <b>");
        var (_, shown, _) = await client.GetAsync(response.Headers.Location!.ToString());
        await client.PostAsync(page, page + "/enable");

        status.Should().Be(HttpStatusCode.SeeOther);
        shown.Should().Contain("disabled: maintenance &lt;b&gt;");
        (await _app.Subscriptions.GetAsync(_seed.Billing.Id))!.Enabled.Should().BeTrue();
    }

    [Fact]
    public async Task Endpoint_CircuitOpen_ShowsWhenAttemptsResume()
    {
        using var client = new DashboardClient(_app);
        _app.Health.Paused[_seed.Orders.Id] = DashboardApp.Now.AddMinutes(5);

        var (_, detail, _) = await client.GetAsync($"/webhooks/endpoints/{_seed.Orders.Id}");
        var (_, list, _) = await client.GetAsync("/webhooks/endpoints");

        detail.Should().Contain("active, circuit open until 2026-03-02 12:12:00 UTC");
        list.Should().Contain("active, circuit open until 2026-03-02 12:12:00 UTC");
    }

    [Fact]
    public async Task RotateSecret_ShowsTheNewSecretOnceOnly()
    {
        using var client = new DashboardClient(_app);
        var page = $"/webhooks/endpoints/{_seed.Orders.Id}";

        var (status, html, _) = await client.PostAsync(page, page + "/rotate");
        var rotated = await _app.Subscriptions.GetAsync(_seed.Orders.Id);
        var secret = rotated!.GetActiveSecrets(_app.Time.GetUtcNow())[0].RevealEncoded();
        var (_, again, _) = await client.GetAsync(page);

        status.Should().Be(HttpStatusCode.OK);
        WebUtility.HtmlDecode(html).Should().Contain(secret);
        again.Should().NotContain(secret).And.NotContain("whsec_");
    }

    [Fact]
    public async Task Redeliver_FailedDelivery_SchedulesItAgain()
    {
        using var client = new DashboardClient(_app);
        var page = $"/webhooks/deliveries/{_seed.FailedDeliveryId}";

        var (status, _, _) = await client.PostAsync(page, page + "/redeliver");

        status.Should().Be(HttpStatusCode.SeeOther);
        var delivery = await _app.Deliveries.GetDeliveryAsync(_seed.FailedDeliveryId);
        delivery!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        delivery.AttemptCount.Should().Be(0);
    }

    [Fact]
    public async Task SendTestEvent_ReachesThisEndpointOnly()
    {
        using var client = new DashboardClient(_app);
        var page = $"/webhooks/endpoints/{_seed.Globex.Id}";
        var before = await _app.Deliveries.ListDeliveriesAsync(new() { Status = WebhookDeliveryStatus.Pending, Limit = 1000 });

        var (status, _, response) = await client.PostAsync(page, page + "/test");

        status.Should().Be(HttpStatusCode.SeeOther);
        var after = await _app.Deliveries.ListDeliveriesAsync(new() { Status = WebhookDeliveryStatus.Pending, Limit = 1000 });
        var added = after.Items.ExceptBy(before.Items.Select(d => d.Id), d => d.Id).ToList();
        added.Should().ContainSingle().Which.SubscriptionId.Should().Be(_seed.Globex.Id);
        added[0].EventType.Should().Be("webhook.test");
        response.Headers.Location!.ToString().Should().Contain(added[0].Id);
    }

    [Fact]
    public async Task Recover_FailedSinceATime_SchedulesThemAgain()
    {
        using var client = new DashboardClient(_app);
        var page = $"/webhooks/endpoints/{_seed.Orders.Id}";
        var failed = await _app.Deliveries.ListDeliveriesAsync(new() { SubscriptionId = _seed.Orders.Id, Status = WebhookDeliveryStatus.Failed, Limit = 1000 });

        var (status, _, response) = await client.PostAsync(page, page + "/recover", ("since", "2026-03-01T00:00"));

        status.Should().Be(HttpStatusCode.SeeOther);
        failed.Items.Should().NotBeEmpty();
        response.Headers.Location!.ToString().Should().Contain($"count={failed.Items.Count}");
        (await _app.Deliveries.ListDeliveriesAsync(new() { SubscriptionId = _seed.Orders.Id, Status = WebhookDeliveryStatus.Failed })).Items.Should().BeEmpty();
    }

    [Theory]
    [InlineData("/webhooks/messages?since=yesterday", "yesterday")]
    [InlineData("/webhooks/messages?status=lost", "lost")]
    [InlineData("/webhooks/messages?status=failed&eventType=order.created", "not both")]
    public async Task Search_BadFilter_Gets400NamingTheValue(string path, string named)
    {
        using var client = new DashboardClient(_app);

        var (status, html, _) = await client.GetAsync(path);

        status.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain(named);
    }

    [Fact]
    public async Task Search_ByEventTypeAndTenant_ListsOnlyMatchingMessages()
    {
        using var client = new DashboardClient(_app);

        var (_, html, _) = await client.GetAsync("/webhooks/messages?eventType=invoice.paid&tenant=acme&since=2026-03-02T00:00");

        var ids = System.Text.RegularExpressions.Regex.Matches(html, "/messages/(msg_[0-9A-Z]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        var expected = await _app.Deliveries.ListMessagesAsync(new() { EventType = "invoice.paid", TenantId = "acme", Since = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero) });
        ids.Should().BeEquivalentTo(expected.Items.Select(m => m.Id)).And.NotBeEmpty();
    }

    [Fact]
    public async Task Portal_WithoutTenant_Gets403()
    {
        using var client = new DashboardClient(_app);

        var (status, _, _) = await client.GetAsync("/portal/endpoints");

        status.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Portal_AnotherTenantsData_IsNeverShownOrChanged()
    {
        using var acme = new DashboardClient(_app, tenant: "acme");
        var globexMessage = _seed.XssMessageId;

        var endpoints = await acme.GetAsync("/portal/endpoints");
        var messages = await acme.GetAsync("/portal/messages?tenant=globex");
        var failed = await acme.GetAsync("/portal/messages?status=failed");
        var endpoint = await acme.GetAsync($"/portal/endpoints/{_seed.Globex.Id}");
        var message = await acme.GetAsync($"/portal/messages/{globexMessage}");
        var delivery = await acme.GetAsync($"/portal/deliveries/{_seed.XssDeliveryId}");
        var disable = await acme.PostAsync($"/portal/endpoints/{_seed.Orders.Id}", $"/portal/endpoints/{_seed.Globex.Id}/disable");
        var redeliver = await acme.PostAsync($"/portal/endpoints/{_seed.Orders.Id}", $"/portal/deliveries/{_seed.XssDeliveryId}/redeliver");
        var overview = await acme.GetAsync("/portal");

        endpoints.Html.Should().Contain(_seed.Orders.Id).And.NotContain(_seed.Globex.Id);
        messages.Html.Should().NotContain(globexMessage).And.NotContain("customer.updated");
        failed.Html.Should().NotContain(_seed.Globex.Id);
        overview.Html.Should().NotContain(_seed.Globex.Id);
        endpoint.Status.Should().Be(HttpStatusCode.NotFound);
        message.Status.Should().Be(HttpStatusCode.NotFound);
        delivery.Status.Should().Be(HttpStatusCode.NotFound);
        disable.Status.Should().Be(HttpStatusCode.NotFound);
        redeliver.Status.Should().Be(HttpStatusCode.NotFound);
        (await _app.Subscriptions.GetAsync(_seed.Globex.Id))!.Enabled.Should().BeTrue();
        (await _app.Deliveries.GetDeliveryAsync(_seed.XssDeliveryId))!.Status.Should().NotBe(WebhookDeliveryStatus.Pending);
    }

    [Fact]
    public async Task Portal_CreateEndpoint_BelongsToTheTenantAndShowsItsSecretOnce()
    {
        using var acme = new DashboardClient(_app, tenant: "acme");

        var (status, html, _) = await acme.PostAsync("/portal/endpoints/new", "/portal/endpoints", ("url", "https://new.acme.example/hooks"), ("eventTypes", "order.created"), ("otherEventTypes", "invoice.*"));

        status.Should().Be(HttpStatusCode.OK);
        var created = (await _app.Subscriptions.ForTenant("acme").ListAsync()).Items.Single(s => s.Url.Host == "new.acme.example");
        created.TenantId.Should().Be("acme");
        created.EventTypes.Should().Equal("order.created", "invoice.*");
        WebUtility.HtmlDecode(html).Should().Contain(created.Secrets[0].Secret.RevealEncoded());
        (await acme.GetAsync($"/portal/endpoints/{created.Id}")).Html.Should().NotContain("whsec_");
    }

    [Fact]
    public async Task Portal_CreateEndpointWithBadUrl_Gets400NamingIt()
    {
        using var acme = new DashboardClient(_app, tenant: "acme");

        var (status, html, _) = await acme.PostAsync("/portal/endpoints/new", "/portal/endpoints", ("url", "not a url <x>"));

        status.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain("not a url &lt;x&gt;");
    }
}
