using Microsoft.Extensions.Configuration;
using static Webhooks.Receiver.Internal.WebhookReceiverConfiguration;

namespace Webhooks.Receiver.Internal;

/// <summary>Binds a configuration section to <see cref="WebhookInboxOptions"/> without reflection; an unknown key fails start-up.</summary>
internal static class WebhookInboxConfiguration
{
    private static readonly string[] KnownKeys =
    [
        nameof(WebhookInboxOptions.RetryDelays),
        nameof(WebhookInboxOptions.MaxAttempts),
        nameof(WebhookInboxOptions.LeaseDuration),
        nameof(WebhookInboxOptions.PollInterval),
        nameof(WebhookInboxOptions.MaxConcurrency),
        nameof(WebhookInboxOptions.AcceptedStatusCode),
        nameof(WebhookInboxOptions.ProcessedRetention),
        nameof(WebhookInboxOptions.DeadRetention),
        nameof(WebhookInboxOptions.RetentionInterval),
    ];

    public static void Bind(IConfiguration configuration, string name, WebhookInboxOptions options)
    {
        ThrowOnUnknownKeys(configuration, name, typeof(WebhookInboxOptions), KnownKeys);
        var delays = configuration.GetSection(nameof(WebhookInboxOptions.RetryDelays));
        foreach (var child in delays.GetChildren())
        {
            if (ReadTimeSpan(delays, child.Key) is { } delay)
            {
                options.RetryDelays.Add(delay);
            }
        }

        options.MaxAttempts = (int?)ReadInt64(configuration, nameof(WebhookInboxOptions.MaxAttempts)) ?? options.MaxAttempts;
        options.LeaseDuration = ReadTimeSpan(configuration, nameof(WebhookInboxOptions.LeaseDuration)) ?? options.LeaseDuration;
        options.PollInterval = ReadTimeSpan(configuration, nameof(WebhookInboxOptions.PollInterval)) ?? options.PollInterval;
        options.MaxConcurrency = (int?)ReadInt64(configuration, nameof(WebhookInboxOptions.MaxConcurrency)) ?? options.MaxConcurrency;
        options.AcceptedStatusCode = (int?)ReadInt64(configuration, nameof(WebhookInboxOptions.AcceptedStatusCode)) ?? options.AcceptedStatusCode;
        options.ProcessedRetention = ReadTimeSpan(configuration, nameof(WebhookInboxOptions.ProcessedRetention)) ?? options.ProcessedRetention;
        options.DeadRetention = ReadTimeSpan(configuration, nameof(WebhookInboxOptions.DeadRetention)) ?? options.DeadRetention;
        options.RetentionInterval = ReadTimeSpan(configuration, nameof(WebhookInboxOptions.RetentionInterval)) ?? options.RetentionInterval;
    }
}
