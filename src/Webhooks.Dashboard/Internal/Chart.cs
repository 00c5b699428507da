using System.Globalization;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Dashboard.Internal;

/// <summary>A stacked bar chart as inline SVG: no script, colours from the stylesheet, a tooltip per bar.</summary>
internal static class Chart
{
    private const int Width = 960;
    private const int Height = 180;
    private const int Top = 10;
    private const int Bottom = 24;
    private const int Left = 40;

    public static void Write(Html html, IReadOnlyList<WebhookStatisticsBucket> buckets)
    {
        var max = Math.Max(1, buckets.Count == 0 ? 1 : buckets.Max(static b => b.Total));
        var plot = Height - Top - Bottom;
        var step = (double)(Width - Left) / Math.Max(1, buckets.Count);
        html.Open("svg", ("class", "chart"), ("viewBox", $"0 0 {Width} {Height}"), ("role", "img"), ("aria-label", "Deliveries per interval: succeeded, failed, unfinished"), ("preserveAspectRatio", "none"));
        html.Open("line", ("class", "axis"), ("x1", N(Left)), ("y1", N(Top + plot)), ("x2", N(Width)), ("y2", N(Top + plot))).Close("line");
        html.Element("text", max.ToString(CultureInfo.InvariantCulture), ("class", "tick"), ("x", N(Left - 4)), ("y", N(Top + 8)), ("text-anchor", "end"));
        html.Element("text", "0", ("class", "tick"), ("x", N(Left - 4)), ("y", N(Top + plot)), ("text-anchor", "end"));
        for (var i = 0; i < buckets.Count; i++)
        {
            var b = buckets[i];
            var x = Left + (i * step);
            var y = (double)(Top + plot);
            html.Open("g", ("class", "bar"));
            html.Element("title", $"{b.Start.UtcDateTime:HH:mm} UTC: {b.Succeeded} succeeded, {b.Failed} failed, {b.Unfinished} unfinished");
            foreach (var (count, kind) in new[] { (b.Succeeded, "succeeded"), (b.Failed, "failed"), (b.Unfinished, "unfinished") })
            {
                if (count == 0)
                {
                    continue;
                }

                var h = plot * (double)count / max;
                y -= h;
                html.Open("rect", ("class", kind), ("x", N(x + 1)), ("y", N(y)), ("width", N(Math.Max(1, step - 2))), ("height", N(h))).Close("rect");
            }

            html.Close("g");
            if (i % 16 == 0)
            {
                html.Element("text", $"{b.Start.UtcDateTime:HH:mm}", ("class", "tick"), ("x", N(x)), ("y", N(Height - 6)));
            }
        }

        html.Close("svg");
        html.Open("p", ("class", "legend"))
            .Element("span", "succeeded", ("class", "key succeeded"))
            .Element("span", "failed", ("class", "key failed"))
            .Element("span", "unfinished", ("class", "key unfinished"))
            .Close("p");
    }

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
