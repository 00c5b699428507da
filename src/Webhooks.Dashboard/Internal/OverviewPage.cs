using System.Globalization;
using Webhooks.Core;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Dashboard.Internal;

/// <summary>The overview: backlog, the last hour and day, the chart, and per-endpoint health.</summary>
internal static class OverviewPage
{
    public static readonly TimeSpan Bucket = TimeSpan.FromMinutes(15);
    public const int Buckets = 96; // 24 hours

    public static async Task RenderAsync(DashboardContext context)
    {
        var now = context.Time.GetUtcNow();
        // Buckets end at the next quarter hour, so the last one is the current (partial) quarter.
        var end = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % Bucket.Ticks), TimeSpan.Zero) + Bucket;
        var since = end - (Bucket * Buckets);
        WebhookDeliveryStatistics? stats = null;
        string? unsupported = null;
        try
        {
            stats = await context.Deliveries.GetStatisticsAsync(new() { Since = since, BucketSize = Bucket, BucketCount = Buckets, EndpointLimit = 20 }, context.Http.RequestAborted).ConfigureAwait(false);
        }
        catch (NotSupportedException ex)
        {
            unsupported = ex.Message;
        }

        var urls = new Dictionary<string, WebhookSubscription?>(StringComparer.Ordinal);
        foreach (var endpoint in stats?.Endpoints ?? [])
        {
            urls[endpoint.SubscriptionId] = await context.Subscriptions.GetAsync(endpoint.SubscriptionId, context.Http.RequestAborted).ConfigureAwait(false);
        }

        await Layout.WriteAsync(context, "Overview", html =>
        {
            if (stats is null)
            {
                html.Element("p", unsupported, ("class", "notice error"));
                return;
            }

            var lastHour = stats.Buckets.Skip(Buckets - 4).ToArray();
            html.Open("section", ("class", "tiles"), ("aria-label", "Counts"));
            Tile(html, "Pending", stats.Pending, "pending", context.Url("/messages", ("status", "pending")));
            Tile(html, "In flight", stats.InFlight, "inflight", context.Url("/messages", ("status", "inflight")));
            Tile(html, "Succeeded, last hour", lastHour.Sum(static b => b.Succeeded), "succeeded", null);
            Tile(html, "Failed, last hour", lastHour.Sum(static b => b.Failed), "failed", context.Url("/messages", ("status", "failed")));
            Tile(html, "Succeeded, 24 hours", stats.Buckets.Sum(static b => b.Succeeded), "succeeded", null);
            Tile(html, "Failed, 24 hours", stats.Buckets.Sum(static b => b.Failed), "failed", context.Url("/messages", ("status", "failed")));
            html.Open("div", ("class", "tile"), ("data-kind", "oldest")).Element("span", "Oldest due delivery", ("class", "label"));
            if (stats.OldestDueDeliveryId is { } oldest)
            {
                var late = now - stats.OldestDueAt!.Value;
                html.Open("span", ("class", "value small")).Link(context.Url("/deliveries/" + DashboardContext.Segment(oldest)), late > TimeSpan.Zero ? $"due {Ago(late)} ago" : $"due in {Ago(-late)}").Close("span");
            }
            else
            {
                html.Element("span", "none", ("class", "value small"));
            }

            html.Close("div").Close("section");

            html.Element("h2", "Deliveries per 15 minutes, last 24 hours");
            html.Element("p", "Deliveries created in each interval, by their state now.", ("class", "hint"));
            Chart.Write(html, stats.Buckets);

            html.Element("h2", "Endpoints, last 24 hours");
            if (stats.Endpoints.Count == 0)
            {
                html.Element("p", "No attempts in the last 24 hours.", ("class", "empty"));
                return;
            }

            html.Open("table", ("class", "list")).Open("thead").Open("tr");
            foreach (var heading in new[] { "Endpoint", "URL", "Attempts", "Success rate", "p50", "p95" })
            {
                html.Element("th", heading);
            }

            html.Close("tr").Close("thead").Open("tbody");
            foreach (var e in stats.Endpoints)
            {
                html.Open("tr").Open("td").Link(context.Url("/endpoints/" + DashboardContext.Segment(e.SubscriptionId)), e.SubscriptionId).Close("td");
                html.Element("td", urls.GetValueOrDefault(e.SubscriptionId)?.Url.ToString() ?? "(deleted)", ("class", "url"));
                html.Element("td", e.Attempts.ToString(CultureInfo.InvariantCulture), ("class", "num"));
                html.Element("td", e.SuccessRate.ToString("P1", CultureInfo.InvariantCulture), ("class", e.SuccessRate < 0.9 ? "num bad" : "num"));
                html.Element("td", DashboardContext.FormatDuration(e.P50), ("class", "num"));
                html.Element("td", DashboardContext.FormatDuration(e.P95), ("class", "num"));
                html.Close("tr");
            }

            html.Close("tbody").Close("table");
        }).ConfigureAwait(false);
    }

    private static void Tile(Html html, string label, long value, string kind, string? href)
    {
        html.Open("div", ("class", "tile"), ("data-kind", kind)).Element("span", label, ("class", "label"));
        if (href is null)
        {
            html.Element("span", value.ToString("N0", CultureInfo.InvariantCulture), ("class", "value"));
        }
        else
        {
            html.Open("span", ("class", "value")).Link(href, value.ToString("N0", CultureInfo.InvariantCulture)).Close("span");
        }

        html.Close("div");
    }

    internal static string Ago(TimeSpan span) => span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min"
        : $"{Math.Max(0, (int)span.TotalSeconds)} s";
}
