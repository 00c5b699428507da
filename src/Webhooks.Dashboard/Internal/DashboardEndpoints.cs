using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Webhooks.Sender.Delivery;
using Webhooks.Sender;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Dashboard.Internal;

/// <summary>Maps the pages of one dashboard or portal into a route group and runs each request through the same gate.</summary>
internal static class DashboardEndpoints
{
    private static readonly Lazy<byte[]> Stylesheet = new(static () =>
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("Webhooks.Dashboard.dashboard.css")
            ?? throw new InvalidOperationException("The dashboard stylesheet is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, DashboardSettings settings)
    {
        var group = endpoints.MapGroup(settings.Prefix);
        group.MapGet("/assets/dashboard.css", static context =>
        {
            Layout.SetSecurityHeaders(context.Response);
            context.Response.Headers.CacheControl = "public, max-age=3600";
            context.Response.ContentType = "text/css; charset=utf-8";
            return context.Response.Body.WriteAsync(Stylesheet.Value, context.RequestAborted).AsTask();
        });

        Get(group, "/", settings, OverviewPage.RenderAsync);
        Get(group, "/endpoints", settings, EndpointPages.ListAsync);
        Get(group, "/endpoints/new", settings, EndpointPages.NewAsync);
        Get(group, "/endpoints/{id}", settings, EndpointPages.DetailAsync);
        Post(group, "/endpoints", settings, EndpointPages.CreateAsync);
        Post(group, "/endpoints/{id}/{action}", settings, EndpointPages.ActAsync);
        Get(group, "/messages", settings, MessagePages.SearchAsync);
        Get(group, "/messages/{id}", settings, MessagePages.DetailAsync);
        Get(group, "/deliveries/{id}", settings, DeliveryPages.DetailAsync);
        Post(group, "/deliveries/{id}/redeliver", settings, DeliveryPages.RedeliverAsync);
        return group;
    }

    private static void Get(RouteGroupBuilder group, string pattern, DashboardSettings settings, Func<DashboardContext, Task> page) =>
        group.MapGet(pattern, context => RunAsync(context, settings, page, isPost: false));

    private static void Post(RouteGroupBuilder group, string pattern, DashboardSettings settings, Func<DashboardContext, Task> page) =>
        group.MapPost(pattern, context => RunAsync(context, settings, page, isPost: true)).DisableAntiforgery();

    private static async Task RunAsync(HttpContext http, DashboardSettings settings, Func<DashboardContext, Task> page, bool isPost)
    {
        Layout.SetSecurityHeaders(http.Response);
        var services = http.RequestServices;
        var deliveries = services.GetRequiredService<IWebhookDeliveries>();
        var subscriptions = services.GetRequiredService<IWebhookSubscriptions>();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var antiforgery = services.GetRequiredService<IAntiforgery>();
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Webhooks.Dashboard") ?? NullLogger.Instance;

        string? tenant = null;
        if (settings.ResolveTenant is { } resolve)
        {
            tenant = await resolve(new WebhookPortalTenantArguments(http)).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(tenant))
            {
                Log.NoTenant(logger, http.Request.Path);
                await PlainErrorAsync(http, StatusCodes.Status403Forbidden, "No tenant: this portal shows one tenant's webhooks, and none was found for this request.").ConfigureAwait(false);
                return;
            }

            deliveries = deliveries.ForTenant(tenant);
            subscriptions = subscriptions.ForTenant(tenant);
        }

        var context = new DashboardContext(http, settings, deliveries, subscriptions, time, antiforgery, tenant);
        if (!settings.IsPortal && !settings.AllowRemoteRequestsWithoutAuthorization && !DashboardAccess.HasAuthorization(http) && !DashboardAccess.IsLocal(http))
        {
            Log.RemoteRefused(logger, http.Connection.RemoteIpAddress?.ToString());
            await PlainErrorAsync(http, StatusCodes.Status403Forbidden, "This webhook dashboard answers local requests only because no authorization is configured for it. Add RequireAuthorization(...) to MapWebhookDashboard, or set AllowRemoteRequestsWithoutAuthorization.").ConfigureAwait(false);
            return;
        }

        if (isPost)
        {
            if (settings.ReadOnly)
            {
                await Layout.ErrorAsync(context, StatusCodes.Status403Forbidden, "Read-only", "These pages are read-only: no changes can be made here.").ConfigureAwait(false);
                return;
            }

            try
            {
                await antiforgery.ValidateRequestAsync(http).ConfigureAwait(false);
            }
            catch (AntiforgeryValidationException)
            {
                Log.AntiforgeryRejected(logger, http.Request.Path);
                await Layout.ErrorAsync(context, StatusCodes.Status400BadRequest, "Form expired", "The form's antiforgery token is missing or not valid. Reload the page and try again.").ConfigureAwait(false);
                return;
            }
        }

        try
        {
            await page(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException && !http.Response.HasStarted)
        {
            // Bad input from the request (a filter, a URL, an event type): the service's message names the value.
            http.Response.Clear();
            Layout.SetSecurityHeaders(http.Response);
            await Layout.ErrorAsync(context, StatusCodes.Status400BadRequest, "Not valid", ex.Message).ConfigureAwait(false);
        }
    }

    /// <summary>An answer before the page frame exists (no tenant, or refused): plain text, encoded by being text.</summary>
    private static Task PlainErrorAsync(HttpContext http, int statusCode, string message)
    {
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(message, http.RequestAborted);
    }

    /// <summary>Throws the friendly error naming the missing registration.</summary>
    public static void ThrowIfServicesMissing(IEndpointRouteBuilder endpoints, string method)
    {
        var services = endpoints.ServiceProvider;
        if (services.GetService<IWebhookDeliveries>() is null || services.GetService<IWebhookSubscriptions>() is null)
        {
            throw new InvalidOperationException($"{method} needs the webhook sender's services. Call builder.Services.AddWebhookSender(...) before building the app.");
        }

        if (services.GetService<IAntiforgery>() is null)
        {
            throw new InvalidOperationException($"{method} needs antiforgery for its forms. Call builder.Services.AddAntiforgery() before building the app.");
        }
    }
}
