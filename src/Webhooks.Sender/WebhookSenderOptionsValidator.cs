using Microsoft.Extensions.Options;
using Webhooks.Sender.Health;
using Webhooks.Sender;
using Webhooks.Sender.Security;

namespace Webhooks.Sender;

/// <summary>Checks <see cref="WebhookSenderOptions"/> at start-up; each message names the option, quotes the value and says what is allowed.</summary>
internal sealed class WebhookSenderOptionsValidator : IValidateOptions<WebhookSenderOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookSenderOptions options)
    {
        var errors = new List<string>();
        if (options.RetryDelays is null)
        {
            errors.Add("WebhookSenderOptions.RetryDelays must not be null; use an empty list for no retries.");
        }
        else
        {
            for (var i = 0; i < options.RetryDelays.Count; i++)
            {
                if (options.RetryDelays[i] < TimeSpan.Zero)
                {
                    errors.Add($"WebhookSenderOptions.RetryDelays[{i}] is '{options.RetryDelays[i]}'; retry delays must be zero or positive.");
                }
            }
        }

        if (double.IsNaN(options.RetryJitter) || options.RetryJitter is < 0 or > 1)
        {
            errors.Add($"WebhookSenderOptions.RetryJitter is '{options.RetryJitter}'; it must be between 0 and 1 (a fraction of each delay).");
        }

        Positive(errors, nameof(options.MaxRetryAfter), options.MaxRetryAfter, allowZero: true);
        Positive(errors, nameof(options.AttemptTimeout), options.AttemptTimeout);
        Positive(errors, nameof(options.LeaseDuration), options.LeaseDuration);
        Positive(errors, nameof(options.PollInterval), options.PollInterval);
        Positive(errors, nameof(options.ShutdownTimeout), options.ShutdownTimeout, allowZero: true);
        Positive(errors, nameof(options.SecretRotationOverlap), options.SecretRotationOverlap, allowZero: true);
        Positive(errors, nameof(options.SubscriptionCacheDuration), options.SubscriptionCacheDuration, allowZero: true);
        Range(errors, nameof(options.BatchSize), options.BatchSize, 1, 1000);
        Range(errors, nameof(options.MaxConcurrentAttempts), options.MaxConcurrentAttempts, 1, 10_000);
        Range(errors, nameof(options.MaxConcurrentAttemptsPerEndpoint), options.MaxConcurrentAttemptsPerEndpoint, 1, 10_000);
        Range(errors, nameof(options.ResponseExcerptLength), options.ResponseExcerptLength, 0, 1024 * 1024);

        if (options.LeaseDuration <= options.AttemptTimeout)
        {
            errors.Add($"WebhookSenderOptions.LeaseDuration is '{options.LeaseDuration}' but AttemptTimeout is '{options.AttemptTimeout}'; the lease must be longer than an attempt, or another process may claim a delivery that is still being sent.");
        }

        if (string.IsNullOrWhiteSpace(options.UserAgent))
        {
            errors.Add("WebhookSenderOptions.UserAgent is empty; set a product token such as 'MyApp-Webhooks/1.0'.");
        }

        if (options.Ssrf is not null)
        {
            errors.AddRange(WebhookSsrfOptionsValidator.Collect(options.Ssrf, "WebhookSenderOptions.Ssrf"));
        }

        errors.AddRange(WebhookEndpointHealthOptionsValidator.Collect(options.EndpointHealth, "WebhookSenderOptions.EndpointHealth"));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string name, TimeSpan value, bool allowZero = false)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            errors.Add($"WebhookSenderOptions.{name} is '{value}'; it must be {(allowZero ? "zero or positive" : "positive")}.");
        }
    }

    private static void Range(List<string> errors, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"WebhookSenderOptions.{name} is '{value}'; it must be between {min} and {max}.");
        }
    }
}
