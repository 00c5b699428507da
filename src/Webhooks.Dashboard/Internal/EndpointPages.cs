using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Webhooks.Core;
using Webhooks.Core.Events;
using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Dashboard.Internal;

/// <summary>Endpoints (subscriptions): list, detail, create and edit (portal), and the actions.</summary>
internal static class EndpointPages
{
    public static async Task ListAsync(DashboardContext context)
    {
        var state = context.Query("state");
        var eventType = context.Query("eventType");
        var page = await context.Subscriptions.ListAsync(new()
        {
            Enabled = state switch { "active" => true, "disabled" => false, _ => null },
            EventType = eventType,
            Limit = context.Settings.PageSize,
            After = context.Query("after"),
        }, context.Http.RequestAborted).ConfigureAwait(false);

        var lastAttempts = new Dictionary<string, WebhookAttempt?>(StringComparer.Ordinal);
        foreach (var s in page.Items)
        {
            var attempts = await context.Deliveries.ListAttemptsAsync(new() { SubscriptionId = s.Id, Limit = 1 }, context.Http.RequestAborted).ConfigureAwait(false);
            lastAttempts[s.Id] = attempts.Items.Count > 0 ? attempts.Items[0] : null;
        }

        await Layout.WriteAsync(context, "Endpoints", html =>
        {
            html.Open("form", ("method", "get"), ("action", context.Url("/endpoints")), ("class", "filters"));
            html.Open("label").Text("State ").Open("select", ("name", "state"));
            foreach (var (value, text) in new[] { ("", "any"), ("active", "active"), ("disabled", "disabled") })
            {
                html.Element("option", text, ("value", value), ("selected", value == (state ?? "") ? "" : null));
            }

            html.Close("select").Close("label");
            html.Open("label").Text("Receives event type ").Open("input", ("name", "eventType"), ("value", eventType), ("placeholder", "order.created")).Close("label");
            html.Element("button", "Filter", ("type", "submit"));
            html.Close("form");
            if (context.Settings.IsPortal && context.CanAct)
            {
                html.Open("p").Link(context.Url("/endpoints/new"), "Add an endpoint", "button").Close("p");
            }

            if (page.Items.Count == 0)
            {
                html.Element("p", "No endpoints.", ("class", "empty"));
                return;
            }

            html.Open("table", ("class", "list")).Open("thead").Open("tr");
            foreach (var heading in context.Tenant is null ? new[] { "Endpoint", "URL", "State", "Event types", "Tenant", "Last attempt" } : ["Endpoint", "URL", "State", "Event types", "Last attempt"])
            {
                html.Element("th", heading);
            }

            html.Close("tr").Close("thead").Open("tbody");
            foreach (var s in page.Items)
            {
                html.Open("tr").Open("td").Link(context.Url("/endpoints/" + DashboardContext.Segment(s.Id)), s.Id).Close("td");
                html.Element("td", s.Url.ToString(), ("class", "url"));
                html.Element("td", context.StateText(s), ("class", s.Enabled ? "state active" : "state disabled"));
                html.Element("td", EventTypesText(s));
                if (context.Tenant is null)
                {
                    html.Element("td", s.TenantId ?? "-");
                }

                html.Element("td", lastAttempts[s.Id] is { } a ? $"{context.FormatTime(a.StartedAt)} · {AttemptOutcome(a)}" : "none");
                html.Close("tr");
            }

            html.Close("tbody").Close("table");
            NextPage(html, context, page.ContinuationToken, "/endpoints", ("state", state), ("eventType", eventType));
        }).ConfigureAwait(false);
    }

    public static async Task DetailAsync(DashboardContext context)
    {
        var id = context.RouteValue("id")!;
        var subscription = await context.Subscriptions.GetAsync(id, context.Http.RequestAborted).ConfigureAwait(false);
        if (subscription is null)
        {
            await Layout.ErrorAsync(context, StatusCodes.Status404NotFound, "Not found", $"There is no endpoint '{id}'.").ConfigureAwait(false);
            return;
        }

        context.Notice ??= DoneText(context.Query("done"));
        await RenderDetailAsync(context, subscription, revealedSecret: null).ConfigureAwait(false);
    }

    private static async Task RenderDetailAsync(DashboardContext context, WebhookSubscription s, WebhookSecret? revealedSecret, int statusCode = StatusCodes.Status200OK)
    {
        var status = ParseStatus(context.Query("status"));
        var deliveries = await context.Deliveries.ListDeliveriesAsync(new()
        {
            SubscriptionId = s.Id,
            Status = status,
            Limit = context.Settings.PageSize,
            After = context.Query("after"),
        }, context.Http.RequestAborted).ConfigureAwait(false);
        var now = context.Time.GetUtcNow();

        await Layout.WriteAsync(context, $"Endpoint {s.Id}", html =>
        {
            if (revealedSecret is { } secret)
            {
                html.Open("section", ("class", "secret"), ("role", "alert"));
                html.Element("h2", "New signing secret");
                html.Element("p", "Copy it now: it is shown this once and never again. Give it to the endpoint's owner to verify signatures.");
                html.Element("code", secret.RevealEncoded(), ("class", "secret-value"), ("id", "new-secret"));
                html.Close("section");
            }

            html.Open("dl", ("class", "fields"));
            html.Term("URL", s.Url.ToString(), "url");
            html.Term("State", context.StateText(s), s.Enabled ? "state active" : "state disabled");
            if (context.Tenant is null)
            {
                html.Term("Tenant", s.TenantId);
            }

            html.Term("Event types", EventTypesText(s));
            html.Term("Description", s.Description);
            html.Term("Custom headers", s.Headers.Count == 0 ? null : string.Join(", ", s.Headers.Keys) + " (values hidden)");
            html.Term("Signing secrets", string.Join("; ", s.Secrets.Select(x => x.ExpiresAt is { } e
                ? $"created {context.FormatTime(x.CreatedAt)}, {(x.IsActive(now) ? "expires" : "expired")} {context.FormatTime(e)}"
                : $"created {context.FormatTime(x.CreatedAt)}")) + " (never shown after creation or rotation)");
            html.Term("Rate limit", s.RateLimitPerSecond is { } r ? $"{r} per second" : null);
            html.Term("Created", context.FormatTime(s.CreatedAt));
            html.Term("Updated", context.FormatTime(s.UpdatedAt));
            html.Close("dl");

            if (context.CanAct)
            {
                Actions(html, context, s, now);
            }

            html.Element("h2", "Deliveries");
            StatusFilter(html, context, "/endpoints/" + DashboardContext.Segment(s.Id), status);
            DeliveryPages.Table(html, context, deliveries.Items, showEndpoint: false);
            NextPage(html, context, deliveries.ContinuationToken, "/endpoints/" + DashboardContext.Segment(s.Id), ("status", context.Query("status")));
        }, statusCode).ConfigureAwait(false);
    }

    private static void Actions(Html html, DashboardContext context, WebhookSubscription s, DateTimeOffset now)
    {
        var action = context.Url("/endpoints/" + DashboardContext.Segment(s.Id));
        html.Open("section", ("class", "actions"), ("aria-label", "Actions"));
        if (s.Enabled)
        {
            context.Form(html, action + "/disable", "Disable", f => f.Open("input", ("name", "reason"), ("placeholder", "reason (optional)"), ("aria-label", "Reason"), ("maxlength", "200")));
        }
        else
        {
            context.Form(html, action + "/enable", "Enable");
        }

        context.Form(html, action + "/rotate", "Rotate secret");
        context.Form(html, action + "/test", "Send test event");
        context.Form(html, action + "/recover", "Recover failed", f => f.Open("label").Text("since ")
            .Open("input", ("type", "datetime-local"), ("name", "since"), ("required", ""), ("value", (now - TimeSpan.FromDays(1)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture))).Text(" UTC").Close("label"));
        context.Form(html, action + "/delete", "Delete", cssClass: "inline danger");
        html.Close("section");

        html.Open("details", ("class", "edit")).Element("summary", "Edit");
        EditFields(html, context, action + "/edit", s.Url.ToString(), s.Description, s.EventTypes, "Save");
        html.Close("details");
    }

    public static Task NewAsync(DashboardContext context)
    {
        if (!context.Settings.IsPortal || !context.CanAct)
        {
            return Layout.ErrorAsync(context, StatusCodes.Status404NotFound, "Not found", "Endpoints are added in the tenant portal.");
        }

        return Layout.WriteAsync(context, "Add an endpoint", html => EditFields(html, context, context.Url("/endpoints"), null, null, [], "Add endpoint"));
    }

    private static void EditFields(Html html, DashboardContext context, string action, string? url, string? description, IReadOnlyList<string> eventTypes, string button) =>
        context.Form(html, action, button, f =>
        {
            f.Open("label").Text("URL ").Open("input", ("type", "url"), ("name", "url"), ("value", url), ("required", ""), ("placeholder", "https://example.com/webhooks"), ("size", "60")).Close("label");
            f.Open("label").Text("Description ").Open("input", ("name", "description"), ("value", description), ("maxlength", "500")).Close("label");
            var catalog = Catalog(context);
            f.Open("fieldset").Element("legend", "Event types (none ticked: every event)");
            foreach (var type in catalog)
            {
                f.Open("label", ("class", "check")).Open("input", ("type", "checkbox"), ("name", "eventTypes"), ("value", type), ("checked", eventTypes.Contains(type) ? "" : null)).Text(" " + type).Close("label");
            }

            var other = eventTypes.Where(t => !catalog.Contains(t, StringComparer.Ordinal));
            f.Open("label").Text("Other filters ").Open("input", ("name", "otherEventTypes"), ("value", string.Join(", ", other)), ("placeholder", "order.*, invoice.paid")).Close("label");
            f.Close("fieldset");
        }, "stacked");

    public static async Task CreateAsync(DashboardContext context)
    {
        if (!context.Settings.IsPortal)
        {
            await Layout.ErrorAsync(context, StatusCodes.Status404NotFound, "Not found", "Endpoints are added in the tenant portal.").ConfigureAwait(false);
            return;
        }

        var form = await context.Http.Request.ReadFormAsync(context.Http.RequestAborted).ConfigureAwait(false);
        var url = form["url"].ToString().Trim();
        var description = NullIfEmpty(form["description"].ToString());
        var eventTypes = EventTypes(form);
        WebhookSubscription created;
        try
        {
            created = await context.Subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest(url) { EventTypes = eventTypes, Description = description }, context.Http.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            await Layout.WriteAsync(context, "Add an endpoint", html =>
            {
                html.Element("p", ex.Message, ("class", "notice error"), ("role", "alert"));
                EditFields(html, context, context.Url("/endpoints"), url, description, eventTypes, "Add endpoint");
            }, StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        Audit(context, "create", created.Id);
        context.Notice = "Endpoint added.";
        await RenderDetailAsync(context, created, created.Secrets.Count > 0 ? created.Secrets[0].Secret : null).ConfigureAwait(false);
    }

    public static async Task ActAsync(DashboardContext context)
    {
        var id = context.RouteValue("id")!;
        var action = context.RouteValue("action");
        var ct = context.Http.RequestAborted;
        var form = await context.Http.Request.ReadFormAsync(ct).ConfigureAwait(false);
        var subscription = await context.Subscriptions.GetAsync(id, ct).ConfigureAwait(false);
        if (subscription is null)
        {
            await Layout.ErrorAsync(context, StatusCodes.Status404NotFound, "Not found", $"There is no endpoint '{id}'.").ConfigureAwait(false);
            return;
        }

        var self = "/endpoints/" + DashboardContext.Segment(id);
        switch (action)
        {
            case "enable":
                await context.Subscriptions.EnableAsync(id, ct).ConfigureAwait(false);
                Redirect(context, self, "enabled");
                break;
            case "disable":
                var reason = NullIfEmpty(form["reason"].ToString());
                await context.Subscriptions.DisableAsync(id, reason is null ? "Disabled from the dashboard" : reason[..Math.Min(reason.Length, 200)], ct).ConfigureAwait(false);
                Redirect(context, self, "disabled");
                break;
            case "rotate":
                // Rendered here, not redirected: the new secret must not travel in a URL or stay in the history.
                var secret = WebhookSecret.Generate();
                var rotated = await context.Subscriptions.RotateSecretAsync(id, secret, cancellationToken: ct).ConfigureAwait(false);
                Audit(context, "rotate", id);
                context.Notice = "Secret rotated: the previous secret keeps signing until its overlap ends.";
                await RenderDetailAsync(context, rotated ?? subscription, secret).ConfigureAwait(false);
                return;
            case "test":
                var delivery = await SendTestAsync(context, subscription).ConfigureAwait(false);
                Audit(context, "test", id);
                context.Http.Response.Redirect(context.Url("/deliveries/" + DashboardContext.Segment(delivery), ("done", "test")));
                context.Http.Response.StatusCode = StatusCodes.Status303SeeOther;
                return;
            case "recover":
                var since = ParseTime(form["since"].ToString(), "since") ?? throw new FormatException("Give the time to recover failed deliveries from.");
                var count = await context.Deliveries.RecoverAsync(id, since, ct).ConfigureAwait(false);
                Audit(context, "recover", id);
                context.Http.Response.Redirect(context.Url(self, ("done", "recovered"), ("count", count.ToString(CultureInfo.InvariantCulture))));
                context.Http.Response.StatusCode = StatusCodes.Status303SeeOther;
                return;
            case "edit":
                await context.Subscriptions.UpdateAsync(id, new WebhookSubscriptionUpdateRequest
                {
                    Url = WebhookSubscriptionUrl(form["url"].ToString().Trim()),
                    Description = form["description"].ToString().Trim(),
                    EventTypes = EventTypes(form),
                }, ct).ConfigureAwait(false);
                Redirect(context, self, "saved");
                break;
            case "delete":
                await context.Subscriptions.DeleteAsync(id, ct).ConfigureAwait(false);
                Audit(context, "delete", id);
                context.Http.Response.Redirect(context.Url("/endpoints"));
                context.Http.Response.StatusCode = StatusCodes.Status303SeeOther;
                return;
            default:
                await Layout.ErrorAsync(context, StatusCodes.Status404NotFound, "Not found", $"There is no action '{action}'.").ConfigureAwait(false);
                return;
        }

        Audit(context, action, id);
    }

    private static async Task<string> SendTestAsync(DashboardContext context, WebhookSubscription subscription)
    {
        var delivery = await context.Deliveries.SendTestAsync(subscription.Id, context.Http.RequestAborted).ConfigureAwait(false);
        return delivery?.Id ?? throw new InvalidOperationException("The test message was not stored.");
    }

    // The portal's own list, or else the event types registered with the sender (AddEventType on the sender builder).
    private static IReadOnlyList<string> Catalog(DashboardContext context) => context.Settings.EventTypes.Count > 0
        ? context.Settings.EventTypes
        : context.Http.RequestServices.GetService<IWebhookEventCatalog>()?.EventTypes.Select(static e => e.EventType).ToList() ?? [];

    private static void Redirect(DashboardContext context, string path, string done)
    {
        context.Http.Response.Redirect(context.Url(path, ("done", done)));
        context.Http.Response.StatusCode = StatusCodes.Status303SeeOther;
    }

    private static void Audit(DashboardContext context, string action, string target)
    {
        var logger = context.Http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Webhooks.Dashboard") ?? NullLogger.Instance;
        Log.Action(logger, action, target);
    }

    private static Uri WebhookSubscriptionUrl(string url) => new WebhookSubscriptionCreateRequest(url).Url;

    private static List<string> EventTypes(IFormCollection form)
    {
        var list = new List<string>();
        foreach (var value in form["eventTypes"])
        {
            if (!string.IsNullOrWhiteSpace(value) && !list.Contains(value.Trim()))
            {
                list.Add(value.Trim());
            }
        }

        foreach (var value in form["otherEventTypes"].ToString().Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!list.Contains(value))
            {
                list.Add(value);
            }
        }

        return list;
    }

    internal static string EventTypesText(WebhookSubscription s) => s.EventTypes.Count == 0 ? "every event" : string.Join(", ", s.EventTypes);

    internal static string AttemptOutcome(WebhookAttempt a) => a.Succeeded
        ? $"{a.StatusCode}"
        : a.StatusCode is { } code ? $"{code}" : DeliveryPages.ErrorKindText(a.Error);

    internal static string? DoneText(string? done) => done switch
    {
        "enabled" => "Endpoint enabled.",
        "disabled" => "Endpoint disabled: new messages skip it and its pending deliveries fail.",
        "saved" => "Endpoint saved.",
        "recovered" => "Failed deliveries scheduled again.",
        "redelivered" => "Delivery scheduled again, due now.",
        "test" => "Test event sent to this endpoint only.",
        _ => null,
    };

    internal static WebhookDeliveryStatus? ParseStatus(string? value) => value switch
    {
        null => null,
        "pending" => WebhookDeliveryStatus.Pending,
        "inflight" => WebhookDeliveryStatus.InFlight,
        "succeeded" => WebhookDeliveryStatus.Succeeded,
        "failed" => WebhookDeliveryStatus.Failed,
        _ => throw new FormatException($"The status '{value}' is not one of pending, inflight, succeeded, failed."),
    };

    internal static DateTimeOffset? ParseTime(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string[] formats = ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd"];
        return DateTime.TryParseExact(value.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc))
            : throw new FormatException($"The time '{value}' ({name}) is not a UTC date and time such as 2026-01-31T14:00.");
    }

    internal static void StatusFilter(Html html, DashboardContext context, string path, WebhookDeliveryStatus? status)
    {
        html.Open("p", ("class", "chips"));
        html.Link(context.Url(path), "all", status is null ? "chip on" : "chip");
        foreach (var (value, text) in new[] { ("pending", "pending"), ("inflight", "in flight"), ("succeeded", "succeeded"), ("failed", "failed") })
        {
            html.Link(context.Url(path, ("status", value)), text, ParseStatus(value) == status ? "chip on" : "chip");
        }

        html.Close("p");
    }

    internal static void NextPage(Html html, DashboardContext context, string? token, string path, params (string Name, string? Value)[] query)
    {
        if (token is null)
        {
            return;
        }

        html.Open("p", ("class", "pager")).Link(context.Url(path, [.. query, ("after", token)]), "Next page →", "button").Close("p");
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
