using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Webhooks.Receiver.Internal;

/// <summary>Binds a configuration section to <see cref="WebhookReceiverOptions"/> without reflection (trim and AOT safe).</summary>
internal static class WebhookReceiverConfiguration
{
    public static void Bind(IConfiguration configuration, WebhookReceiverOptions options)
    {
        if (configuration[nameof(WebhookReceiverOptions.Scheme)] is { Length: > 0 } scheme)
        {
            options.Scheme = Enum.TryParse<WebhookReceiverScheme>(scheme, ignoreCase: true, out var value) && Enum.IsDefined(value)
                ? value
                : throw Invalid(configuration, nameof(WebhookReceiverOptions.Scheme), scheme, "one of StandardWebhooks, GitHub, Stripe, Shopify, Slack");
        }

        if (configuration["Secret"] is { Length: > 0 } secret)
        {
            options.Secrets.Add(secret);
        }

        foreach (var child in configuration.GetSection(nameof(WebhookReceiverOptions.Secrets)).GetChildren())
        {
            if (child.Value is { Length: > 0 } value)
            {
                options.Secrets.Add(value);
            }
        }

        options.Tolerance = ReadTimeSpan(configuration, nameof(WebhookReceiverOptions.Tolerance)) ?? options.Tolerance;
        options.IdempotencyRetention = ReadTimeSpan(configuration, nameof(WebhookReceiverOptions.IdempotencyRetention)) ?? options.IdempotencyRetention;
        options.IdempotencyLease = ReadTimeSpan(configuration, nameof(WebhookReceiverOptions.IdempotencyLease)) ?? options.IdempotencyLease;
        options.MaxBodySize = ReadInt64(configuration, nameof(WebhookReceiverOptions.MaxBodySize)) ?? options.MaxBodySize;
        options.UnhandledEventStatusCode = (int?)ReadInt64(configuration, nameof(WebhookReceiverOptions.UnhandledEventStatusCode)) ?? options.UnhandledEventStatusCode;
    }

    private static TimeSpan? ReadTimeSpan(IConfiguration configuration, string key) =>
        configuration[key] is not { Length: > 0 } text ? null
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(configuration, key, text, "a time span such as 00:05:00");

    private static long? ReadInt64(IConfiguration configuration, string key) =>
        configuration[key] is not { Length: > 0 } text ? null
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(configuration, key, text, "an integer");

    private static InvalidOperationException Invalid(IConfiguration configuration, string key, string value, string expected)
    {
        var path = configuration is IConfigurationSection section ? section.Path + ":" + key : key;
        return new InvalidOperationException($"The webhook receiver configuration value '{path}' is '{value}', which is not valid: expected {expected}.");
    }
}
