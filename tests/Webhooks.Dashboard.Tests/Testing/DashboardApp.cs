using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Core;
using Webhooks.Sender;
using Webhooks.Sender.Delivery;
using Webhooks.Sender.Health;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Dashboard.Tests.Testing;

/// <summary>
/// A real Kestrel app on 127.0.0.1 with the dashboard at <c>/webhooks</c>, a read-only one at <c>/readonly</c>, one open
/// to remote requests at <c>/open</c>, and the portal at <c>/portal</c> (tenant from the <c>X-Tenant</c> header). The
/// dispatcher is not running: the data is written through the store with crafted attempts, on a fake clock, so pages
/// and screenshots are the same on every run. A request with <c>X-Test-Remote</c> looks as if it came from that address.
/// </summary>
public sealed class DashboardApp : IAsyncDisposable
{
    public const string Xss = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";

    private DashboardApp(WebApplication app, FakeTimeProvider time)
    {
        App = app;
        Time = time;
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public static DateTimeOffset Now { get; } = new(2026, 3, 2, 12, 7, 0, TimeSpan.Zero);

    public WebApplication App { get; }

    public FakeTimeProvider Time { get; }

    public string BaseUrl { get; }

    public FakeEndpointHealth Health => (FakeEndpointHealth)App.Services.GetRequiredService<IWebhookEndpointHealth>();

    public IWebhookStore Store => App.Services.GetRequiredService<IWebhookStore>();

    public IWebhookSubscriptions Subscriptions => App.Services.GetRequiredService<IWebhookSubscriptions>();

    public IWebhookDeliveries Deliveries => App.Services.GetRequiredService<IWebhookDeliveries>();

    public static async Task<DashboardApp> StartAsync(string? sqlitePath = null)
    {
        var time = new FakeTimeProvider(Now - TimeSpan.FromHours(25));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IWebhookEndpointHealth>(new FakeEndpointHealth());
        var sender = builder.Services.AddWebhookSender(o => o.Ssrf.RequireHttps = false);
        if (sqlitePath is not null)
        {
            sender.UseSqlite($"Data Source={sqlitePath}");
        }

        builder.Services.AddAntiforgery();
        // No dispatcher: nothing is sent; the pages show what the store holds.
        builder.Services.RemoveAll<IHostedService>();

        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue("X-Test-Remote", out var remote))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(remote.ToString());
            }

            return next(context);
        });
        app.MapWebhookDashboard("/webhooks");
        app.MapWebhookDashboard("/readonly", o => o.ReadOnly = true);
        app.MapWebhookDashboard("/open", o => o.AllowRemoteRequestsWithoutAuthorization = true);
        app.MapWebhookPortal("/portal", new WebhookPortalOptions
        {
            ResolveTenant = static a => ValueTask.FromResult<string?>(a.HttpContext.Request.Headers["X-Tenant"].ToString()),
            Title = "Acme webhooks",
        }.AddEventType<OrderCreated>().AddEventType<InvoicePaid>());
        await app.StartAsync();
        return new DashboardApp(app, time);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>A day of traffic: two tenants, three endpoints, messages every 15 minutes, some failures, a backlog.</summary>
    public async Task<SeedResult> SeedAsync()
    {
        var publisher = App.Services.GetRequiredService<IWebhookPublisher>();
        var start = Now - TimeSpan.FromHours(24);
        Time.SetUtcNow(start - TimeSpan.FromMinutes(5));
        var orders = await Subscriptions.CreateAsync(new("https://orders.acme.example/webhooks") { TenantId = "acme", EventTypes = ["order.*"], Description = "Order sync" });
        var billing = await Subscriptions.CreateAsync(new("https://billing.acme.example/hooks") { TenantId = "acme", EventTypes = ["invoice.paid"] });
        var globex = await Subscriptions.CreateAsync(new("https://hooks.globex.example/in?q=<script>window.__xss=3</script>") { TenantId = "globex", Description = Xss });

        string? xssMessage = null;
        for (var step = 0; step < 96; step++)
        {
            Time.SetUtcNow(start + TimeSpan.FromMinutes(15 * step));
            var count = 1 + ((step * 7) % 4);
            for (var i = 0; i < count; i++)
            {
                var order = new Dictionary<string, object> { ["orderId"] = (step * 10) + i, ["total"] = 12.5 + i, ["currency"] = "EUR" };
                await publisher.PublishAsync("order.created", order, new WebhookPublishOptions { TenantId = "acme" });
                if (i == 0 && step % 3 == 0)
                {
                    await publisher.PublishAsync("invoice.paid", new Dictionary<string, object> { ["invoice"] = $"INV-{step}" }, new WebhookPublishOptions { TenantId = "acme" });
                }
            }

            if (step % 8 == 0)
            {
                var id = await publisher.PublishAsync("customer.updated", new Dictionary<string, object> { ["name"] = Xss, ["step"] = step }, new WebhookPublishOptions { TenantId = "globex" });
                xssMessage ??= id;
            }

            if (step < 94)
            {
                Time.Advance(TimeSpan.FromSeconds(2));
                await CompleteDueAsync(step);
            }
        }

        Time.SetUtcNow(Now);
        var failed = await Deliveries.ListDeliveriesAsync(new() { Status = WebhookDeliveryStatus.Failed, SubscriptionId = orders.Id, Limit = 1 });
        var xssDelivery = await Deliveries.ListDeliveriesAsync(new() { MessageId = xssMessage, Limit = 1 });
        return new SeedResult(orders, billing, globex, xssMessage!, xssDelivery.Items[0].Id, failed.Items[0].Id);
    }

    // Claims whatever is due and completes it with a crafted attempt: mostly 200, every 9th a 500 (final), every 13th a 503.
    private async Task CompleteDueAsync(int step)
    {
        var claims = await Store.ClaimAsync(new() { LeaseOwner = "seed", MaxCount = 1000, LeaseDuration = TimeSpan.FromMinutes(1) });
        var n = 0;
        foreach (var claim in claims)
        {
            n++;
            var d = claim.Delivery;
            var globex = d.TenantId == "globex";
            var failed = globex ? step % 16 == 0 : (step + n) % 9 == 0;
            var retry = !failed && (step + n) % 13 == 0;
            var status = failed ? 500 : retry ? 503 : 200;
            var duration = TimeSpan.FromMilliseconds(20 + ((step * 37 + n * 11) % (globex ? 900 : 180)));
            var attempt = new WebhookAttempt
            {
                Id = WebhookId.New(WebhookId.AttemptPrefix, Time),
                DeliveryId = d.Id,
                MessageId = d.MessageId,
                SubscriptionId = d.SubscriptionId,
                TenantId = d.TenantId,
                AttemptNumber = d.AttemptCount + 1,
                Url = globex ? "https://hooks.globex.example/in?q=<script>window.__xss=4</script>" : "https://orders.acme.example/webhooks",
                StartedAt = Time.GetUtcNow(),
                Duration = duration,
                Succeeded = status == 200,
                Error = status == 200 ? WebhookAttemptError.None : WebhookAttemptError.HttpStatus,
                StatusCode = status,
                ResponseHeaders = globex
                    ? new Dictionary<string, string> { ["content-type"] = "text/html", ["x-evil"] = Xss }
                    : new Dictionary<string, string> { ["content-type"] = "application/json", ["server"] = "nginx" },
                ResponseExcerpt = globex ? Xss : status == 200 ? "{\"ok\":true}" : "{\"error\":\"upstream unavailable\"}",
                RemoteAddress = "203.0.113.10",
            };
            await Store.CompleteAsync(new()
            {
                DeliveryId = d.Id,
                LeaseId = d.LeaseId!,
                Attempt = attempt,
                Status = failed ? WebhookDeliveryStatus.Failed : retry ? WebhookDeliveryStatus.Pending : WebhookDeliveryStatus.Succeeded,
                NextAttemptAt = retry ? Time.GetUtcNow() + TimeSpan.FromHours(30) : null,
                FailureReason = failed ? "Endpoint answered 500 (retries exhausted)" : null,
            });
        }
    }
}

/// <summary>The circuit breaker's answers, set by the test.</summary>
public sealed class FakeEndpointHealth : IWebhookEndpointHealth
{
    public Dictionary<string, DateTimeOffset> Paused { get; } = [];

    public DateTimeOffset? GetPausedUntil(string subscriptionId) => Paused.TryGetValue(subscriptionId, out var until) ? until : null;
}

public sealed record SeedResult(
    Core.WebhookSubscription Orders,
    Core.WebhookSubscription Billing,
    Core.WebhookSubscription Globex,
    string XssMessageId,
    string XssDeliveryId,
    string FailedDeliveryId);

[Core.WebhookEvent("order.created")]
public sealed record OrderCreated(int OrderId);

[Core.WebhookEvent("invoice.paid")]
public sealed record InvoicePaid(string Invoice);
