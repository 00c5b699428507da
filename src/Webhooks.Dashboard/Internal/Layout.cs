using Microsoft.AspNetCore.Http;

namespace Webhooks.Dashboard.Internal;

/// <summary>The page frame: head, navigation, notices, and the security headers every answer carries.</summary>
internal static class Layout
{
    // No script at all; styles only from the embedded stylesheet; forms only to this origin; never framed.
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void SetSecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }

    public static async Task WriteAsync(DashboardContext context, string title, Action<Html> body, int statusCode = StatusCodes.Status200OK)
    {
        var html = new Html();
        html.Markup("<!DOCTYPE html>").Open("html", ("lang", "en")).Open("head")
            .Open("meta", ("charset", "utf-8"))
            .Open("meta", ("name", "viewport"), ("content", "width=device-width, initial-scale=1"))
            .Open("meta", ("name", "referrer"), ("content", "no-referrer"))
            .Element("title", $"{title} · {context.Settings.Title}")
            .Open("link", ("rel", "stylesheet"), ("href", context.Url("/assets/dashboard.css")))
            .Close("head").Open("body");

        html.Open("header").Open("nav");
        html.Link(context.Url("/"), context.Settings.Title, "brand");
        html.Link(context.Url("/"), "Overview");
        html.Link(context.Url("/endpoints"), "Endpoints");
        html.Link(context.Url("/messages"), "Messages");
        if (context.Tenant is { } tenant)
        {
            html.Element("span", $"Tenant {tenant}", ("class", "badge"));
        }

        if (context.Settings.ReadOnly)
        {
            html.Element("span", "Read-only", ("class", "badge"));
        }

        html.Close("nav").Close("header").Open("main");
        if (!context.Settings.IsPortal && !context.Settings.AllowRemoteRequestsWithoutAuthorization && !DashboardAccess.HasAuthorization(context.Http))
        {
            html.Element("p", "Local requests only: no authorization is configured for this dashboard, so it answers requests from this machine only. Add RequireAuthorization(...) to MapWebhookDashboard to open it to signed-in operators.", ("class", "notice local-only"), ("role", "note"));
        }

        if (context.Notice is { } notice)
        {
            html.Element("p", notice, ("class", "notice done"), ("role", "status"));
        }

        html.Element("h1", title);
        body(html);
        html.Close("main").Close("body").Close("html");

        var response = context.Http.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(html.ToString(), context.Http.RequestAborted).ConfigureAwait(false);
    }

    public static Task ErrorAsync(DashboardContext context, int statusCode, string title, string message) =>
        WriteAsync(context, title, html => html.Element("p", message, ("class", "notice error"), ("role", "alert")), statusCode);
}
