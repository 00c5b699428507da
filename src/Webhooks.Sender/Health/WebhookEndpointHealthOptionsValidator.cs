using System.Globalization;
using Microsoft.Extensions.Options;

namespace Webhooks.Sender.Health;

/// <summary>Validates <see cref="WebhookEndpointHealthOptions"/> at start-up; messages quote the bad value and say what to write instead.</summary>
internal sealed class WebhookEndpointHealthOptionsValidator : IValidateOptions<WebhookEndpointHealthOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookEndpointHealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Collect(options, nameof(WebhookEndpointHealthOptions));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Returns every problem in <paramref name="options"/>, each message prefixed with <paramref name="path"/>
    /// (for example <c>WebhookSenderOptions.EndpointHealth</c> when the options are nested).</summary>
    public static List<string> Collect(WebhookEndpointHealthOptions options, string path)
    {
        var failures = new List<string>();
        if (options.DisableAfter is { } window && window <= TimeSpan.Zero)
        {
            failures.Add($"{path}.DisableAfter is {Format(window)}; it must be positive (for example 5.00:00:00 for five days), or null to never disable a failing subscription.");
        }

        if (options.BreakAfterFailures < 0)
        {
            failures.Add($"{path}.BreakAfterFailures is {options.BreakAfterFailures.ToString(CultureInfo.InvariantCulture)}; it must be 0 (no circuit breaker) or more (for example 5).");
        }

        if (options.BreakAfterFailures > 0)
        {
            if (options.BreakDuration <= TimeSpan.Zero)
            {
                failures.Add($"{path}.BreakDuration is {Format(options.BreakDuration)}; it must be positive (for example 00:00:30), or set BreakAfterFailures to 0 to turn the circuit breaker off.");
            }
            else if (options.MaxBreakDuration < options.BreakDuration)
            {
                failures.Add($"{path}.MaxBreakDuration is {Format(options.MaxBreakDuration)}, shorter than BreakDuration {Format(options.BreakDuration)}; make it at least BreakDuration.");
            }
        }

        if (options.DefaultRateLimitPerSecond is { } rate && rate <= 0)
        {
            failures.Add($"{path}.DefaultRateLimitPerSecond is {rate.ToString(CultureInfo.InvariantCulture)}; it must be positive, or null for no limit.");
        }

        return failures;
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
