using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Webhooks.Receiver.Internal;

/// <summary>Binds a configuration section to <see cref="WebhookReceiverOptions"/> without reflection (trim and AOT safe).</summary>
internal static class WebhookReceiverConfiguration
{
    /// <summary>The keys a receiver's section may hold; anything else is a typo that would otherwise be ignored.</summary>
    private static readonly string[] KnownKeys =
    [
        nameof(WebhookReceiverOptions.Scheme),
        "Secret",
        nameof(WebhookReceiverOptions.Secrets),
        nameof(WebhookReceiverOptions.Tolerance),
        nameof(WebhookReceiverOptions.MaxBodySize),
        nameof(WebhookReceiverOptions.BodyReadTimeout),
        nameof(WebhookReceiverOptions.IdempotencyRetention),
        nameof(WebhookReceiverOptions.IdempotencyLease),
        nameof(WebhookReceiverOptions.UnhandledEventStatusCode),
    ];

    /// <summary>Binds the section; throws <see cref="OptionsValidationException"/> naming a key the options do not have.</summary>
    public static void Bind(IConfiguration configuration, string name, WebhookReceiverOptions options)
    {
        ThrowOnUnknownKeys(configuration, name, typeof(WebhookReceiverOptions), KnownKeys);
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
        options.BodyReadTimeout = ReadTimeSpan(configuration, nameof(WebhookReceiverOptions.BodyReadTimeout)) ?? options.BodyReadTimeout;
        options.UnhandledEventStatusCode = (int?)ReadInt64(configuration, nameof(WebhookReceiverOptions.UnhandledEventStatusCode)) ?? options.UnhandledEventStatusCode;
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> naming every key of the section that <paramref name="knownKeys"/> lacks.</summary>
    internal static void ThrowOnUnknownKeys(IConfiguration configuration, string name, Type optionsType, string[] knownKeys)
    {
        List<string>? errors = null;
        foreach (var child in configuration.GetChildren())
        {
            if (Array.FindIndex(knownKeys, key => string.Equals(key, child.Key, StringComparison.OrdinalIgnoreCase)) < 0)
            {
                var receiver = name.Length == 0 ? "The default webhook receiver" : $"The webhook receiver '{name}'";
                (errors ??= []).Add(
                    $"{receiver} has an unknown configuration key '{child.Path}': {optionsType.Name} has no such option. "
                    + $"Check its spelling; the keys are {string.Join(", ", knownKeys)}.");
            }
        }

        if (errors is not null)
        {
            throw new OptionsValidationException(name, optionsType, errors);
        }
    }

    internal static TimeSpan? ReadTimeSpan(IConfiguration configuration, string key) =>
        configuration[key] is not { Length: > 0 } text ? null
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(configuration, key, text, "a time span such as 00:05:00");

    internal static long? ReadInt64(IConfiguration configuration, string key) =>
        configuration[key] is not { Length: > 0 } text ? null
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(configuration, key, text, "an integer");

    private static InvalidOperationException Invalid(IConfiguration configuration, string key, string value, string expected)
    {
        var path = configuration is IConfigurationSection section ? section.Path + ":" + key : key;
        return new InvalidOperationException($"The webhook receiver configuration value '{path}' is '{value}', which is not valid: expected {expected}.");
    }
}
