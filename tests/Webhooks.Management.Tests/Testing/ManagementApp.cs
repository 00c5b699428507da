using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Core;
using Webhooks.Sender;
using Webhooks.Sender.Storage;

namespace Webhooks.Management.Tests.Testing;

/// <summary>
/// The API on a TestServer at <c>/api/webhooks</c>, scoped by the <c>tenant</c> claim that <c>X-Test-Tenant</c> sets
/// (<c>X-Test-Operator: 1</c> sees every tenant), on the in-memory store and a fake clock, without the dispatcher:
/// attempts are written through the store.
/// </summary>
public sealed class ManagementApp : IAsyncDisposable
{
    public const string Prefix = "/api/webhooks";

    private ManagementApp(WebApplication app, FakeTimeProvider time)
    {
        App = app;
        Time = time;
        Client = app.GetTestClient();
    }

    public static DateTimeOffset Now { get; } = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    public WebApplication App { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public IWebhookStore Store => App.Services.GetRequiredService<IWebhookStore>();

    public IWebhookSubscriptions Subscriptions => App.Services.GetRequiredService<IWebhookSubscriptions>();

    public IWebhookDeliveries Deliveries => App.Services.GetRequiredService<IWebhookDeliveries>();

    public IWebhookPublisher Publisher => App.Services.GetRequiredService<IWebhookPublisher>();

    public static async Task<ManagementApp> StartAsync(Action<WebhookManagementOptions>? configure = null, Action<WebApplicationBuilder>? services = null, Action<WebApplication>? map = null)
    {
        var time = new FakeTimeProvider(Now);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddWebhookSender(o => o.DispatcherEnabled = false)
            .AddEventType<OrderCreated>("An order was placed.")
            .AddEventType<InvoicePaid>(TestJson.Default.InvoicePaid)
            .AddEventType("customer.deleted", "A customer was deleted.");
        services?.Invoke(builder);
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Headers["X-Test-Operator"] == "1")
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("role", "operator")], "test"));
            }
            else if (context.Request.Headers["X-Test-Tenant"].ToString() is { Length: > 0 } tenant)
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("tenant", tenant)], "test"));
            }

            return next(context);
        });
        if (map is not null)
        {
            map(app);
        }
        else
        {
            app.MapWebhookManagementApi(Prefix, o =>
            {
                o.EnablePublish = true;
                o.ResolveScope = static a => ValueTask.FromResult(
                    a.HttpContext.User.HasClaim("role", "operator") ? WebhookManagementScope.AllTenants
                    : a.HttpContext.User.FindFirst("tenant")?.Value is { } tenant ? WebhookManagementScope.ForTenant(tenant)
                    : WebhookManagementScope.Denied);
                configure?.Invoke(o);
            });
        }

        await app.StartAsync();
        return new ManagementApp(app, time);
    }

    /// <summary>Sends a request as a tenant (or as an operator when <paramref name="tenant"/> is null).</summary>
    public async Task<Answer> SendAsync(HttpMethod method, string path, string? tenant, string? json = null, string contentType = "application/json", Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, Prefix + path);
        if (tenant is null)
        {
            request.Headers.Add("X-Test-Operator", "1");
        }
        else
        {
            request.Headers.Add("X-Test-Tenant", tenant);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        configure?.Invoke(request);
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Answer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, response.Headers.Location?.ToString());
    }

    public Task<Answer> GetAsync(string path, string? tenant = null) => SendAsync(HttpMethod.Get, path, tenant);

    public Task<Answer> PostAsync(string path, string? json, string? tenant = null) => SendAsync(HttpMethod.Post, path, tenant, json);

    /// <summary>Writes an attempt for a pending delivery through the store, as the dispatcher would: a failure ends it Failed, a success Succeeded.</summary>
    public async Task<WebhookDelivery> CompleteAsync(string deliveryId, bool succeeded)
    {
        var claims = await Store.ClaimAsync(new WebhookClaimRequest { LeaseOwner = "test", MaxCount = 1000, LeaseDuration = TimeSpan.FromMinutes(1) });
        var claim = claims.Single(c => c.Delivery.Id == deliveryId);
        foreach (var other in claims.Where(c => c.Delivery.Id != deliveryId))
        {
            await Store.CompleteAsync(new WebhookDeliveryCompletion { DeliveryId = other.Delivery.Id, LeaseId = other.Delivery.LeaseId!, Status = WebhookDeliveryStatus.Pending, NextAttemptAt = Time.GetUtcNow() });
        }

        await Store.CompleteAsync(new WebhookDeliveryCompletion
        {
            DeliveryId = deliveryId,
            LeaseId = claim.Delivery.LeaseId!,
            Status = succeeded ? WebhookDeliveryStatus.Succeeded : WebhookDeliveryStatus.Failed,
            FailureReason = succeeded ? null : "Retries exhausted",
            Attempt = new WebhookAttempt
            {
                Id = WebhookId.New(WebhookId.AttemptPrefix, Time),
                DeliveryId = deliveryId,
                MessageId = claim.Delivery.MessageId,
                SubscriptionId = claim.Delivery.SubscriptionId,
                TenantId = claim.Delivery.TenantId,
                AttemptNumber = 1,
                Url = "https://hooks.example.com/in",
                StartedAt = Time.GetUtcNow(),
                Duration = TimeSpan.FromMilliseconds(42),
                Succeeded = succeeded,
                Error = succeeded ? WebhookAttemptError.None : WebhookAttemptError.HttpStatus,
                StatusCode = succeeded ? 200 : 500,
                ResponseExcerpt = succeeded ? "ok" : "boom",
            },
        });
        return (await Deliveries.GetDeliveryAsync(deliveryId))!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>An answer: status, media type, body and Location.</summary>
public sealed record Answer(int Status, string? MediaType, string Body, string? Location)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The keys of a problem's <c>errors</c> map.</summary>
    public IReadOnlyList<string> ErrorKeys => MediaType == "application/problem+json" && Json.TryGetProperty("errors", out var errors)
        ? [.. errors.EnumerateObject().Select(p => p.Name)]
        : [];

    public override string ToString() => $"{Status} {MediaType} {Body}";
}
