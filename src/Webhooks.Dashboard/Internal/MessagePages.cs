using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Dashboard.Internal;

/// <summary>Messages: search (by id, event type, tenant, status, time range) and detail (payload, deliveries).</summary>
internal static class MessagePages
{
    public static async Task SearchAsync(DashboardContext context)
    {
        var ct = context.Http.RequestAborted;
        var id = context.Query("id");
        if (id is not null)
        {
            // An id goes straight to its page: a message, or a delivery.
            var path = id.StartsWith("dlv_", StringComparison.Ordinal) ? "/deliveries/" : "/messages/";
            context.Http.Response.Redirect(context.Url(path + DashboardContext.Segment(id)));
            return;
        }

        var eventType = context.Query("eventType");
        var tenant = context.Tenant is null ? context.Query("tenant") : null;
        var statusText = context.Query("status");
        var status = EndpointPages.ParseStatus(statusText);
        var since = EndpointPages.ParseTime(context.Query("since"), "since");
        var until = EndpointPages.ParseTime(context.Query("until"), "until");
        var after = context.Query("after");
        if (status is not null && eventType is not null)
        {
            throw new ArgumentException("Filter by status or by event type, not both: the delivery log is searched by state, the message log by event type.");
        }

        WebhookPage<WebhookMessage>? messages = null;
        WebhookPage<WebhookDelivery>? deliveries = null;
        if (status is null)
        {
            messages = await context.Deliveries.ListMessagesAsync(new() { EventType = eventType, TenantId = tenant, Since = since, Until = until, Limit = context.Settings.PageSize, After = after }, ct).ConfigureAwait(false);
        }
        else
        {
            deliveries = await context.Deliveries.ListDeliveriesAsync(new() { Status = status, TenantId = tenant, Since = since, Until = until, Limit = context.Settings.PageSize, After = after }, ct).ConfigureAwait(false);
        }

        await Layout.WriteAsync(context, "Messages", html =>
        {
            html.Open("form", ("method", "get"), ("action", context.Url("/messages")), ("class", "filters"), ("role", "search"));
            html.Open("label").Text("Id ").Open("input", ("name", "id"), ("placeholder", "msg_… or dlv_…"), ("size", "32")).Close("label");
            html.Open("label").Text("Event type ").Open("input", ("name", "eventType"), ("value", eventType), ("placeholder", "order.created")).Close("label");
            if (context.Tenant is null)
            {
                html.Open("label").Text("Tenant ").Open("input", ("name", "tenant"), ("value", tenant)).Close("label");
            }

            html.Open("label").Text("Status ").Open("select", ("name", "status"));
            foreach (var (value, text) in new[] { ("", "any"), ("pending", "pending"), ("inflight", "in flight"), ("succeeded", "succeeded"), ("failed", "failed") })
            {
                html.Element("option", text, ("value", value), ("selected", value == (statusText ?? "") ? "" : null));
            }

            html.Close("select").Close("label");
            html.Open("label").Text("From ").Open("input", ("type", "datetime-local"), ("name", "since"), ("value", context.Query("since"))).Close("label");
            html.Open("label").Text("To ").Open("input", ("type", "datetime-local"), ("name", "until"), ("value", context.Query("until"))).Text(" UTC").Close("label");
            html.Element("button", "Search", ("type", "submit"));
            html.Close("form");

            (string, string?)[] query = [("eventType", eventType), ("tenant", tenant), ("status", statusText), ("since", context.Query("since")), ("until", context.Query("until"))];
            if (deliveries is not null)
            {
                html.Element("p", "Deliveries in this state, newest first.", ("class", "hint"));
                DeliveryPages.Table(html, context, deliveries.Items, showEndpoint: true);
                EndpointPages.NextPage(html, context, deliveries.ContinuationToken, "/messages", query);
                return;
            }

            if (messages!.Items.Count == 0)
            {
                html.Element("p", "No messages.", ("class", "empty"));
                return;
            }

            html.Open("table", ("class", "list")).Open("thead").Open("tr");
            foreach (var heading in context.Tenant is null ? new[] { "Message", "Event type", "Tenant", "Published", "Size" } : ["Message", "Event type", "Published", "Size"])
            {
                html.Element("th", heading);
            }

            html.Close("tr").Close("thead").Open("tbody");
            foreach (var m in messages.Items)
            {
                html.Open("tr").Open("td").Link(context.Url("/messages/" + DashboardContext.Segment(m.Id)), m.Id).Close("td");
                html.Element("td", m.EventType);
                if (context.Tenant is null)
                {
                    html.Element("td", m.TenantId ?? "-");
                }

                html.Element("td", context.FormatTime(m.CreatedAt));
                html.Element("td", $"{m.Payload.Length} B", ("class", "num"));
                html.Close("tr");
            }

            html.Close("tbody").Close("table");
            EndpointPages.NextPage(html, context, messages.ContinuationToken, "/messages", query);
        }).ConfigureAwait(false);
    }

    public static async Task DetailAsync(DashboardContext context)
    {
        var ct = context.Http.RequestAborted;
        var id = context.RouteValue("id")!;
        var message = await context.Deliveries.GetMessageAsync(id, ct).ConfigureAwait(false);
        if (message is null)
        {
            await Layout.ErrorAsync(context, StatusCodes.Status404NotFound, "Not found", $"There is no message '{id}'.").ConfigureAwait(false);
            return;
        }

        var deliveries = await context.Deliveries.ListDeliveriesAsync(new() { MessageId = id, Limit = context.Settings.PageSize, After = context.Query("after") }, ct).ConfigureAwait(false);
        await Layout.WriteAsync(context, $"Message {message.Id}", html =>
        {
            html.Open("dl", ("class", "fields"));
            html.Term("Event type", message.EventType);
            if (context.Tenant is null)
            {
                html.Term("Tenant", message.TenantId);
            }

            html.Term("Published", context.FormatTime(message.CreatedAt));
            html.Term("Idempotency key", message.IdempotencyKey);
            html.Term("Trace", message.TraceParent);
            html.Close("dl");
            html.Element("h2", "Payload");
            html.Element("pre", PrettyPrint(message.Payload), ("class", "payload"));
            html.Element("h2", "Deliveries");
            DeliveryPages.Table(html, context, deliveries.Items, showEndpoint: true);
            EndpointPages.NextPage(html, context, deliveries.ContinuationToken, "/messages/" + DashboardContext.Segment(id));
        }).ConfigureAwait(false);
    }

    /// <summary>Indented JSON, or the text as it is when it is not JSON. Encoded by the page like any value.</summary>
    internal static string PrettyPrint(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                document.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetString(payload.Span);
        }
    }
}
