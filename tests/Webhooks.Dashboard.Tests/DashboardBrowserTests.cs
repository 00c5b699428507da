using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Webhooks.Dashboard.Tests.Testing;
using Webhooks.Sender.Storage;
using Webhooks.Sender;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.Dashboard.Tests;

/// <summary>
/// The pages in a real browser (Debian Chromium through Playwright), each test on a fresh app with a day of data.
/// The run writes the screenshots in docs/images that the docs show.
/// </summary>
public sealed class DashboardBrowserTests : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly BrowserFixture _browser;
    private DashboardApp _app = null!;
    private SeedResult _seed = null!;

    public DashboardBrowserTests(BrowserFixture browser) => _browser = browser;

    public async Task InitializeAsync()
    {
        _app = await DashboardApp.StartAsync();
        _seed = await _app.SeedAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [BrowserFact]
    public async Task Overview_WithData_ShowsCountsChartAndEndpoints()
    {
        var page = await _browser.NewPageAsync();

        await page.GotoAsync(_app.BaseUrl + "/webhooks");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Expect(page.Locator(".tile[data-kind=pending] .value")).Not.ToHaveTextAsync("0");
        var bars = await page.Locator("svg.chart rect").CountAsync();
        bars.Should().BeGreaterThan(90, "the chart has a bar for almost every quarter hour of the day");
        await Expect(page.Locator("table.list tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("table.list")).ToContainTextAsync(_seed.Orders.Id);
        await ScreenshotAsync(page, "dashboard-overview.png");

        var dark = await _browser.NewPageAsync(scheme: ColorScheme.Dark);
        await dark.GotoAsync(_app.BaseUrl + "/webhooks");
        await Expect(dark.Locator("svg.chart")).ToBeVisibleAsync();
        await ScreenshotAsync(dark, "dashboard-overview-dark.png");
    }

    [BrowserFact]
    public async Task Search_ByEventType_ListsOnlyThatTypeAndOpensTheMessage()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(_app.BaseUrl + "/webhooks/messages");

        await page.GetByLabel("Event type").FillAsync("invoice.paid");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("eventType=invoice.paid"));
        var types = await page.Locator("table.list tbody tr td:nth-child(2)").AllInnerTextsAsync();
        types.Should().NotBeEmpty().And.OnlyContain(t => t == "invoice.paid");
        await ScreenshotAsync(page, "dashboard-messages.png");

        await page.Locator("table.list tbody tr td a").First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Message msg_");
        await Expect(page.Locator("pre.payload")).ToContainTextAsync("\"invoice\": \"INV-");
    }

    [BrowserFact]
    public async Task DeliveryTimeline_ShowsTheAttemptsAndRedeliverSchedulesItAgain()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync($"{_app.BaseUrl}/webhooks/deliveries/{_seed.FailedDeliveryId}");

        await Expect(page.Locator("ol.timeline li.attempt")).ToHaveCountAsync(1);
        await Expect(page.Locator("ol.timeline li.attempt .code")).ToHaveTextAsync("HTTP 500");
        await Expect(page.Locator("dd.status")).ToHaveTextAsync("failed");
        await ScreenshotAsync(page, "dashboard-delivery.png");

        await page.GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();

        await Expect(page.Locator(".notice.done")).ToHaveTextAsync("Delivery scheduled again, due now.");
        await Expect(page.Locator("dd.status")).ToHaveTextAsync("pending");
        (await _app.Deliveries.GetDeliveryAsync(_seed.FailedDeliveryId))!.Status.Should().Be(WebhookDeliveryStatus.Pending);
    }

    [BrowserFact]
    public async Task DisableThenEnable_ByTheButtons_ChangesTheEndpoint()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync($"{_app.BaseUrl}/webhooks/endpoints/{_seed.Billing.Id}");

        await page.GetByLabel("Reason").FillAsync("billing system migration");
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(page.Locator("dd.state")).ToHaveTextAsync("disabled: billing system migration");
        (await _app.Subscriptions.GetAsync(_seed.Billing.Id))!.Enabled.Should().BeFalse();

        await page.GetByRole(AriaRole.Button, new() { Name = "Enable" }).ClickAsync();
        await Expect(page.Locator("dd.state")).ToHaveTextAsync("active");
        (await _app.Subscriptions.GetAsync(_seed.Billing.Id))!.Enabled.Should().BeTrue();
    }

    [BrowserFact]
    public async Task RotateSecret_ShowsTheNewSecretOnce()
    {
        var page = await _browser.NewPageAsync();
        var url = $"{_app.BaseUrl}/webhooks/endpoints/{_seed.Orders.Id}";
        await page.GotoAsync(url);

        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();

        var shown = await page.Locator("#new-secret").InnerTextAsync();
        var current = (await _app.Subscriptions.GetAsync(_seed.Orders.Id))!.GetActiveSecrets(_app.Time.GetUtcNow())[0].RevealEncoded();
        shown.Should().Be(current);
        await page.GotoAsync(url);
        await Expect(page.Locator("#new-secret")).ToHaveCountAsync(0);
        (await page.ContentAsync()).Should().NotContain("whsec_");
    }

    [BrowserFact]
    public async Task Portal_Tenant_SeesAndChangesOnlyItsOwnEndpoints()
    {
        var page = await _browser.NewPageAsync(tenant: "acme");

        await page.GotoAsync(_app.BaseUrl + "/portal/endpoints");
        await Expect(page.Locator("table.list tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("table.list")).Not.ToContainTextAsync(_seed.Globex.Id);
        await ScreenshotAsync(page, "portal-endpoints.png");

        var foreign = await page.GotoAsync($"{_app.BaseUrl}/portal/endpoints/{_seed.Globex.Id}");
        foreign!.Status.Should().Be(404);
        var foreignDelivery = await page.GotoAsync($"{_app.BaseUrl}/portal/deliveries/{_seed.XssDeliveryId}");
        foreignDelivery!.Status.Should().Be(404);

        await page.GotoAsync(_app.BaseUrl + "/portal/endpoints/new");
        await page.GetByLabel("URL").FillAsync("https://erp.acme.example/webhooks");
        await page.GetByLabel("order.created").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        await Expect(page.Locator("#new-secret")).ToContainTextAsync("whsec_");
        var created = (await _app.Subscriptions.ForTenant("acme").ListAsync()).Items.Single(s => s.Url.Host == "erp.acme.example");
        created.EventTypes.Should().Equal("order.created");
    }

    [BrowserFact]
    public async Task LocalOnly_ByDefault_SaysSoOnThePage()
    {
        var page = await _browser.NewPageAsync();

        await page.GotoAsync(_app.BaseUrl + "/webhooks");
        await Expect(page.Locator(".local-only")).ToContainTextAsync("Local requests only");

        await page.GotoAsync(_app.BaseUrl + "/open");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Expect(page.Locator(".local-only")).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task XssPayloads_InPayloadHeadersUrlAndResponse_AreInert()
    {
        var page = await _browser.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };

        foreach (var path in new[] { $"/webhooks/messages/{_seed.XssMessageId}", $"/webhooks/deliveries/{_seed.XssDeliveryId}", $"/webhooks/endpoints/{_seed.Globex.Id}", "/webhooks/endpoints", "/webhooks" })
        {
            await page.GotoAsync(_app.BaseUrl + path);
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            (await page.EvaluateAsync<bool>("() => window.__xss === undefined")).Should().BeTrue($"nothing ran on {path}");
            (await page.Locator("script, img").CountAsync()).Should().Be(0, $"no element was injected on {path}");
        }

        await page.GotoAsync($"{_app.BaseUrl}/webhooks/deliveries/{_seed.XssDeliveryId}");
        await Expect(page.Locator("pre.excerpt").First).ToContainTextAsync("<script>window.__xss=1</script>");
        dialogs.Should().Be(0);
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(RepositoryRoot(), "docs", "images");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(directory, name), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Webhooks.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (Webhooks.sln) was not found above the test output.");
    }
}
