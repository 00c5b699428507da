using System.Diagnostics;
using System.Globalization;
using Webhooks.Receiver;

namespace Webhooks.Samples.Quickstart;

/// <summary>The sample's console output: one line per event, stamped with the time since the start.</summary>
internal sealed class Transcript
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Heading(string text)
    {
        lock (_gate)
        {
            Console.WriteLine();
            Console.WriteLine(text);
        }
    }

    public void Line(string text)
    {
        lock (_gate)
        {
            Console.WriteLine("  " + text);
        }
    }

    public void Timed(string endpoint, string text) =>
        Line(string.Create(CultureInfo.InvariantCulture, $"{_clock.Elapsed.TotalSeconds,5:0.00} s  {endpoint,-8} {text}"));

    public void Received(WebhookContext context, string summary) =>
        Timed(EndpointName(context), $"verified {context.EventType,-14} {context.MessageId}  {summary}");

    private static string EndpointName(WebhookContext context) =>
        context.HttpContext.Request.Path.Value is { } path && path.StartsWith(Endpoints.BillingPath, StringComparison.Ordinal) ? "billing" : "orders";
}
