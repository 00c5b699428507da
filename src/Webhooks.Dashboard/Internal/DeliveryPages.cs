using System.Globalization;
using Microsoft.AspNetCore.Http;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Dashboard.Internal;

/// <summary>Deliveries: the attempt timeline and redelivery; the delivery table other pages share.</summary>
internal static class DeliveryPages
{
    public static async Task DetailAsync(DashboardContext context)
    {
        var ct = context.Http.RequestAborted;
        var id = context.RouteValue("id")!;
        var delivery = await context.Deliveries.GetDeliveryAsync(id, ct).ConfigureAwait(false);
        if (delivery is null)
        {
            await Layout.ErrorAsync(context, StatusCodes.Status404NotFound, "Not found", $"There is no delivery '{id}'.").ConfigureAwait(false);
            return;
        }

        context.Notice = EndpointPages.DoneText(context.Query("done"));
        var attempts = await context.Deliveries.ListAttemptsAsync(new() { DeliveryId = id, Limit = context.Settings.PageSize, After = context.Query("after") }, ct).ConfigureAwait(false);
        var subscription = await context.Subscriptions.GetAsync(delivery.SubscriptionId, ct).ConfigureAwait(false);
        await Layout.WriteAsync(context, $"Delivery {delivery.Id}", html =>
        {
            html.Open("dl", ("class", "fields"));
            html.Term("Status", StatusText(delivery.Status), "status " + StatusClass(delivery.Status));
            html.Open("dt").Text("Message").Close("dt").Open("dd").Link(context.Url("/messages/" + DashboardContext.Segment(delivery.MessageId)), delivery.MessageId).Text($" ({delivery.EventType})").Close("dd");
            html.Open("dt").Text("Endpoint").Close("dt").Open("dd").Link(context.Url("/endpoints/" + DashboardContext.Segment(delivery.SubscriptionId)), subscription?.Url.ToString() ?? delivery.SubscriptionId + " (deleted)").Close("dd");
            html.Term("Attempts", delivery.AttemptCount.ToString(CultureInfo.InvariantCulture));
            if (delivery.Status == WebhookDeliveryStatus.Pending)
            {
                html.Term("Next attempt", context.FormatTime(delivery.NextAttemptAt));
            }

            if (delivery.Status == WebhookDeliveryStatus.InFlight)
            {
                html.Term("Leased by", $"{delivery.LeaseOwner} until {context.FormatTime(delivery.LeaseExpiresAt)}");
            }

            html.Term("Failure reason", delivery.FailureReason);
            html.Term("Created", context.FormatTime(delivery.CreatedAt));
            html.Term("Completed", context.FormatTime(delivery.CompletedAt));
            html.Close("dl");
            if (context.CanAct)
            {
                context.Form(html, context.Url("/deliveries/" + DashboardContext.Segment(delivery.Id) + "/redeliver"), "Redeliver");
            }

            html.Element("h2", "Attempts");
            if (attempts.Items.Count == 0)
            {
                html.Element("p", "No attempts yet.", ("class", "empty"));
            }

            html.Open("ol", ("class", "timeline"), ("reversed", ""));
            foreach (var a in attempts.Items)
            {
                Attempt(html, context, a, subscription);
            }

            html.Close("ol");
            EndpointPages.NextPage(html, context, attempts.ContinuationToken, "/deliveries/" + DashboardContext.Segment(id));
        }).ConfigureAwait(false);
    }

    private static void Attempt(Html html, DashboardContext context, WebhookAttempt a, Core.WebhookSubscription? subscription)
    {
        html.Open("li", ("class", a.Succeeded ? "attempt succeeded" : "attempt failed"), ("id", a.Id));
        html.Open("p", ("class", "attempt-head"))
            .Element("strong", $"#{a.AttemptNumber} {(a.Succeeded ? "succeeded" : "failed")}")
            .Text($" · {context.FormatTime(a.StartedAt)} · {DashboardContext.FormatDuration(a.Duration)} · ")
            .Element("span", a.StatusCode is { } code ? $"HTTP {code}" : "no response", ("class", "code"))
            .Text(a.Error == WebhookAttemptError.None ? null : $" · {ErrorKindText(a.Error)}")
            .Close("p");
        html.Open("dl", ("class", "fields compact"));
        html.Term("URL", a.Url, "url");
        html.Term("Address", a.RemoteAddress);
        if (a.ErrorMessage is not null)
        {
            html.Term("Error", a.ErrorMessage);
        }

        html.Close("dl");

        html.Open("details").Element("summary", "Request headers");
        html.Open("table", ("class", "headers")).Open("tbody");
        html.Row("content-type", "application/json");
        html.Row("webhook-id", a.MessageId);
        html.Row("webhook-timestamp", a.StartedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + " (the attempt's start)");
        html.Row("webhook-signature", "v1,… (not logged)");
        foreach (var name in subscription?.Headers.Keys ?? [])
        {
            html.Row(name, "(custom header, value hidden)");
        }

        html.Close("tbody").Close("table").Close("details");

        html.Open("details", ("open", a.Succeeded ? null : "")).Element("summary", $"Response headers ({a.ResponseHeaders.Count})");
        html.Open("table", ("class", "headers")).Open("tbody");
        foreach (var (name, value) in a.ResponseHeaders)
        {
            html.Row(name, value);
        }

        html.Close("tbody").Close("table").Close("details");
        if (!string.IsNullOrEmpty(a.ResponseExcerpt))
        {
            html.Open("details", ("open", a.Succeeded ? null : "")).Element("summary", "Response body (excerpt)");
            html.Element("pre", a.ResponseExcerpt, ("class", "excerpt"));
            html.Close("details");
        }

        html.Close("li");
    }

    public static async Task RedeliverAsync(DashboardContext context)
    {
        var ct = context.Http.RequestAborted;
        var id = context.RouteValue("id")!;
        var delivery = await context.Deliveries.GetDeliveryAsync(id, ct).ConfigureAwait(false);
        var redelivered = delivery is null ? null : await context.Deliveries.RedeliverAsync(delivery.MessageId, delivery.SubscriptionId, ct).ConfigureAwait(false);
        if (redelivered is null)
        {
            await Layout.ErrorAsync(context, StatusCodes.Status404NotFound, "Not found", $"There is no delivery '{id}' (or its endpoint was deleted).").ConfigureAwait(false);
            return;
        }

        context.Http.Response.Redirect(context.Url("/deliveries/" + DashboardContext.Segment(redelivered.Id), ("done", "redelivered")));
        context.Http.Response.StatusCode = StatusCodes.Status303SeeOther;
    }

    /// <summary>A table of deliveries with links to each, its message and its endpoint.</summary>
    public static void Table(Html html, DashboardContext context, IReadOnlyList<WebhookDelivery> deliveries, bool showEndpoint)
    {
        if (deliveries.Count == 0)
        {
            html.Element("p", "No deliveries.", ("class", "empty"));
            return;
        }

        html.Open("table", ("class", "list")).Open("thead").Open("tr");
        foreach (var heading in showEndpoint
            ? new[] { "Delivery", "Status", "Event type", "Endpoint", "Attempts", "Last status", "Created" }
            : ["Delivery", "Status", "Event type", "Message", "Attempts", "Last status", "Created"])
        {
            html.Element("th", heading);
        }

        html.Close("tr").Close("thead").Open("tbody");
        foreach (var d in deliveries)
        {
            html.Open("tr").Open("td").Link(context.Url("/deliveries/" + DashboardContext.Segment(d.Id)), d.Id).Close("td");
            html.Element("td", StatusText(d.Status), ("class", "status " + StatusClass(d.Status)));
            html.Element("td", d.EventType);
            html.Open("td");
            if (showEndpoint)
            {
                html.Link(context.Url("/endpoints/" + DashboardContext.Segment(d.SubscriptionId)), d.SubscriptionId);
            }
            else
            {
                html.Link(context.Url("/messages/" + DashboardContext.Segment(d.MessageId)), d.MessageId);
            }

            html.Close("td");
            html.Element("td", d.AttemptCount.ToString(CultureInfo.InvariantCulture), ("class", "num"));
            html.Element("td", d.LastStatusCode?.ToString(CultureInfo.InvariantCulture) ?? "-", ("class", "num"));
            html.Element("td", context.FormatTime(d.CreatedAt));
            html.Close("tr");
        }

        html.Close("tbody").Close("table");
    }

    internal static string ErrorKindText(WebhookAttemptError error) => error switch
    {
        WebhookAttemptError.HttpStatus => "error status",
        WebhookAttemptError.Timeout => "timeout",
        WebhookAttemptError.NameResolution => "DNS failure",
        WebhookAttemptError.Connection => "connection failure",
        WebhookAttemptError.Tls => "TLS failure",
        WebhookAttemptError.BlockedByPolicy => "blocked by policy",
        _ => "error",
    };

    internal static string StatusText(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Pending => "pending",
        WebhookDeliveryStatus.InFlight => "in flight",
        WebhookDeliveryStatus.Succeeded => "succeeded",
        WebhookDeliveryStatus.Failed => "failed",
        _ => status.ToString(),
    };

    private static string StatusClass(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Succeeded => "succeeded",
        WebhookDeliveryStatus.Failed => "failed",
        _ => "unfinished",
    };
}
