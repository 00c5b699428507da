using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Core;
using Webhooks.Sender.Delivery;
using Webhooks.Sender;
using Webhooks.Sender.Health;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Dashboard.Internal;

/// <summary>One request to the pages: the tenant-scoped services, the base path, and the page frame.</summary>
internal sealed class DashboardContext
{
    public DashboardContext(HttpContext http, DashboardSettings settings, IWebhookDeliveries deliveries, IWebhookSubscriptions subscriptions, TimeProvider time, IAntiforgery antiforgery, string? tenant)
    {
        Http = http;
        Settings = settings;
        Deliveries = deliveries;
        Subscriptions = subscriptions;
        Time = time;
        Antiforgery = antiforgery;
        Tenant = tenant;
        BasePath = http.Request.PathBase.Add(settings.Prefix).Value!.TrimEnd('/');
    }

    public HttpContext Http { get; }

    public DashboardSettings Settings { get; }

    public IWebhookDeliveries Deliveries { get; }

    public IWebhookSubscriptions Subscriptions { get; }

    public TimeProvider Time { get; }

    public IAntiforgery Antiforgery { get; }

    /// <summary>Gets the portal's tenant; null on the operator dashboard.</summary>
    public string? Tenant { get; }

    public string BasePath { get; }

    public bool CanAct => !Settings.ReadOnly;

    /// <summary>Gets or sets a notice shown at the top of the page (a constant or an encoded value).</summary>
    public string? Notice { get; set; }

    /// <summary>An endpoint's state: active, active but paused by the circuit breaker (in this process), or disabled and why.</summary>
    public string StateText(WebhookSubscription s)
    {
        if (!s.Enabled)
        {
            return s.DisabledReason is { } why ? $"disabled: {why}" : "disabled";
        }

        var paused = Http.RequestServices.GetService<IWebhookEndpointHealth>()?.GetPausedUntil(s.Id);
        return paused is { } until ? $"active, circuit open until {FormatTime(until)}" : "active";
    }

    public string? Query(string name)
    {
        var value = Http.Request.Query[name].ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public string? RouteValue(string name) => Http.Request.RouteValues[name] as string;

    /// <summary>A link inside the pages: path segments are escaped, query values too; null values are left out.</summary>
    public string Url(string path, params (string Name, string? Value)[] query)
    {
        var sb = new StringBuilder(BasePath).Append(path);
        var first = true;
        foreach (var (name, value) in query)
        {
            if (value is null)
            {
                continue;
            }

            sb.Append(first ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }

        return sb.ToString();
    }

    public static string Segment(string value) => Uri.EscapeDataString(value);

    public string FormatTime(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "-";

    public static string FormatDuration(TimeSpan duration) => duration.TotalMilliseconds < 1000
        ? duration.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture) + " ms"
        : duration.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture) + " s";

    /// <summary>A POST form with the antiforgery token and one button; <paramref name="fields"/> writes extra inputs.</summary>
    public void Form(Html html, string action, string button, Action<Html>? fields = null, string? cssClass = null)
    {
        html.Open("form", ("method", "post"), ("action", action), ("class", cssClass ?? "inline"));
        var tokens = Antiforgery.GetAndStoreTokens(Http);
        html.Open("input", ("type", "hidden"), ("name", tokens.FormFieldName), ("value", tokens.RequestToken));
        fields?.Invoke(html);
        html.Element("button", button, ("type", "submit"));
        html.Close("form");
    }
}
