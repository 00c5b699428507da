using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Webhooks.Core;
using Webhooks.Dashboard;
using Webhooks.Sender;
using Webhooks.Sender.Delivery;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Samples.Sender;

/// <summary>The sender sample: <c>AddWebhookSender().UseSqlite(...)</c> and a management API over it.</summary>
internal static class SenderApp
{
    /// <summary>Builds the app; <paramref name="configure"/> lets a test swap the server or settings.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();

        // A body that cannot be bound throws in every environment (not only Development), so the handler above
        // answers it with problem details.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        // Enums as names in every answer (status "Succeeded", error "Timeout"), as the filters take them.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddWebhookSender(builder.Configuration.GetSection(WebhookSenderOptions.SectionName))
            .UseSqlite(builder.Configuration.GetConnectionString("Webhooks") ?? DefaultConnectionString());
        builder.Services.AddAntiforgery();

        var app = builder.Build();
        app.UseExceptionHandler();

        // Error answers the framework gives without an exception (415 for a body that is not JSON) as problem details.
        app.UseStatusCodePages();
        MapManagementApi(app);

        // The operator dashboard at /dashboard: local requests only until RequireAuthorization(...) is chained.
        app.MapWebhookDashboard("/dashboard");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var url in app.Urls)
            {
                app.Logger.LogInformation("Webhook dashboard: {Url}/dashboard", url);
            }
        });
        return app;
    }

    private static void MapManagementApi(IEndpointRouteBuilder app)
    {
        app.MapPost("/subscriptions", CreateSubscriptionAsync);
        app.MapGet("/subscriptions", async (IWebhookSubscriptions subscriptions, string? after, CancellationToken ct) =>
        {
            var page = await subscriptions.ListAsync(new() { After = after }, ct);
            return TypedResults.Ok(new PageResponse<SubscriptionResponse>([.. page.Items.Select(s => SubscriptionResponse.From(s))], page.ContinuationToken));
        });
        app.MapPost("/subscriptions/{id}/disable", async Task<Results<Ok<SubscriptionResponse>, NotFound>> (
            string id, IWebhookSubscriptions subscriptions, CancellationToken ct) =>
            await subscriptions.DisableAsync(id, "disabled through the management API", ct) is { } s
                ? TypedResults.Ok(SubscriptionResponse.From(s))
                : TypedResults.NotFound());

        app.MapPost("/events", PublishAsync);

        app.MapGet("/deliveries", async Task<Results<Ok<PageResponse<WebhookDelivery>>, ValidationProblem>> (
            IWebhookDeliveries deliveries, string? subscriptionId, string? messageId, string? status, string? after, CancellationToken ct) =>
        {
            WebhookDeliveryStatus? parsed = null;
            if (status is not null)
            {
                if (!Enum.TryParse<WebhookDeliveryStatus>(status, ignoreCase: true, out var value) || !Enum.IsDefined(value))
                {
                    return Invalid("status", $"'{status}' is not a delivery status; use Pending, InFlight, Succeeded or Failed.");
                }

                parsed = value;
            }

            var page = await deliveries.ListDeliveriesAsync(new() { SubscriptionId = subscriptionId, MessageId = messageId, Status = parsed, After = after }, ct);
            return TypedResults.Ok(new PageResponse<WebhookDelivery>(page.Items, page.ContinuationToken));
        });
        app.MapGet("/deliveries/{id}/attempts", async Task<Results<Ok<PageResponse<WebhookAttempt>>, NotFound>> (
            string id, IWebhookDeliveries deliveries, CancellationToken ct) =>
        {
            if (await deliveries.GetDeliveryAsync(id, ct) is null)
            {
                return TypedResults.NotFound();
            }

            var page = await deliveries.ListAttemptsAsync(new() { DeliveryId = id }, ct);
            return TypedResults.Ok(new PageResponse<WebhookAttempt>(page.Items, page.ContinuationToken));
        });
        app.MapPost("/messages/{messageId}/redeliver/{subscriptionId}", async Task<Results<Accepted<WebhookDelivery>, NotFound>> (
            string messageId, string subscriptionId, IWebhookDeliveries deliveries, CancellationToken ct) =>
            await deliveries.RedeliverAsync(messageId, subscriptionId, ct) is { } delivery
                ? TypedResults.Accepted($"/deliveries/{delivery.Id}/attempts", delivery)
                : TypedResults.NotFound());
    }

    private static async Task<Results<Created<SubscriptionResponse>, ValidationProblem>> CreateSubscriptionAsync(
        CreateSubscriptionRequest request, IWebhookSubscriptions subscriptions, CancellationToken ct)
    {
        // Bad input from the caller is a 400 that says what is wrong, never a 500.
        if (string.IsNullOrWhiteSpace(request.Url) || !Uri.TryCreate(request.Url, UriKind.Absolute, out var url))
        {
            return Invalid("url", "Give an absolute http or https URL.");
        }

        WebhookSecret? secret = null;
        if (request.Secret is not null)
        {
            try
            {
                secret = WebhookSecret.Parse(request.Secret);
            }
            catch (FormatException e)
            {
                return Invalid("secret", e.Message);
            }
        }

        try
        {
            var created = await subscriptions.CreateAsync(
                new(url) { EventTypes = request.EventTypes ?? [], Description = request.Description, Secret = secret }, ct);
            return TypedResults.Created($"/subscriptions/{created.Id}", SubscriptionResponse.From(created, revealSecret: true));
        }
        catch (ArgumentException e)
        {
            return Invalid(e.ParamName ?? "request", e.Message);
        }
    }

    private static async Task<Results<Accepted<PublishResponse>, ValidationProblem>> PublishAsync(
        PublishRequest request, IWebhookPublisher publisher, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Type))
        {
            return Invalid("type", "Give the event type, such as 'order.created'.");
        }

        if (request.Data.ValueKind == JsonValueKind.Undefined)
        {
            return Invalid("data", "Give the event's payload as a JSON value, such as {\"orderId\":42}.");
        }

        try
        {
            var messageId = await publisher.PublishAsync(request.Type, request.Data, new WebhookPublishOptions { IdempotencyKey = request.IdempotencyKey }, ct);
            return TypedResults.Accepted($"/deliveries?messageId={Uri.EscapeDataString(messageId)}", new PublishResponse(messageId));
        }
        catch (ArgumentException e)
        {
            return Invalid(e.ParamName ?? "type", e.Message);
        }
    }

    // The SQLite file lives outside the content root: ASP.NET Core watches the content root for configuration changes,
    // and every write to a file there would wake that watcher.
    private static string DefaultConnectionString()
    {
        var directory = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "Webhooks.Samples.Sender");
        Directory.CreateDirectory(directory);
        return $"Data Source={Path.Combine(directory, "webhooks.db")}";
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
