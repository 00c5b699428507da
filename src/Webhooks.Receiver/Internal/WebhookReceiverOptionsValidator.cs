using Microsoft.Extensions.Options;
using Webhooks.Core;

namespace Webhooks.Receiver.Internal;

/// <summary>Checks a receiver's options at start-up; messages name the receiver and the bad value, never a secret.</summary>
internal sealed class WebhookReceiverOptionsValidator(WebhookReceiverRegistry registry) : IValidateOptions<WebhookReceiverOptions>
{
    private const long MaxBodySizeLimit = int.MaxValue - 64;

    public ValidateOptionsResult Validate(string? name, WebhookReceiverOptions options)
    {
        name ??= Options.DefaultName;
        if (!registry.TryGet(name, out var definition))
        {
            return ValidateOptionsResult.Skip;
        }

        var receiver = name.Length == 0 ? "The default webhook receiver" : $"The webhook receiver '{name}'";
        var builder = new ValidateOptionsResultBuilder();

        if (options.CustomScheme is null)
        {
            if (!Enum.IsDefined(options.Scheme))
            {
                builder.AddError($"{receiver} has Scheme = {(int)options.Scheme}, which is not a known scheme: use StandardWebhooks, GitHub, Stripe, Shopify or Slack.");
            }
            else if (options.Secrets.Count == 0)
            {
                builder.AddError($"{receiver} has no secret: add one to WebhookReceiverOptions.Secrets or call Use{options.Scheme}(secret).");
            }

            for (var i = 0; i < options.Secrets.Count; i++)
            {
                var secret = options.Secrets[i];
                if (string.IsNullOrWhiteSpace(secret))
                {
                    builder.AddError($"{receiver} has an empty secret at Secrets[{i}] (is the configuration value it was read from missing?): {SecretFix(options.Scheme)}");
                }
                else if (options.Scheme == WebhookReceiverScheme.StandardWebhooks && !WebhookSecret.TryParse(secret, out _, out var error))
                {
                    builder.AddError($"{receiver} has a Secrets[{i}] that is not a Standard Webhooks secret ('whsec_' + base64 of 24 to 64 bytes): {error}");
                }
            }
        }

        if (options.Tolerance <= TimeSpan.Zero)
        {
            builder.AddError($"{receiver} has Tolerance = {options.Tolerance}: it must be positive (the default is {WebhookReceiverOptions.DefaultTolerance}).");
        }

        if (options.BodyReadTimeout <= TimeSpan.Zero && options.BodyReadTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddError($"{receiver} has BodyReadTimeout = {options.BodyReadTimeout}: it must be positive, or Timeout.InfiniteTimeSpan to turn it off (the default is {WebhookReceiverOptions.DefaultBodyReadTimeout}).");
        }

        if (options.MaxBodySize is <= 0 or > MaxBodySizeLimit)
        {
            builder.AddError($"{receiver} has MaxBodySize = {options.MaxBodySize}: it must be from 1 to {MaxBodySizeLimit} bytes (the default is {WebhookReceiverOptions.DefaultMaxBodySize}).");
        }

        if (options.IdempotencyRetention <= TimeSpan.Zero)
        {
            builder.AddError($"{receiver} has IdempotencyRetention = {options.IdempotencyRetention}: it must be positive.");
        }

        if (options.IdempotencyLease <= TimeSpan.Zero)
        {
            builder.AddError($"{receiver} has IdempotencyLease = {options.IdempotencyLease}: it must be positive.");
        }

        if (options.UnhandledEventStatusCode is < 200 or > 599)
        {
            builder.AddError($"{receiver} has UnhandledEventStatusCode = {options.UnhandledEventStatusCode}: it must be an HTTP status from 200 to 599.");
        }

        ValidatePayloadTypes(receiver, definition, WebhookJson.Prepare(WebhookJson.Configured(options)), builder);
        return builder.Build();
    }

    /// <summary>Says where a scheme's secret comes from and how to give it.</summary>
    private static string SecretFix(WebhookReceiverScheme scheme) => scheme switch
    {
        WebhookReceiverScheme.GitHub => "give UseGitHub(secret) the webhook secret set in the GitHub webhook's settings, or remove the empty entry.",
        WebhookReceiverScheme.Stripe => "give UseStripe(secret) the endpoint's signing secret (the whole whsec_... string from the Stripe dashboard), or remove the empty entry.",
        WebhookReceiverScheme.Shopify => "give UseShopify(secret) the app's client secret (or the webhook signing secret shown in the Shopify admin), or remove the empty entry.",
        WebhookReceiverScheme.Slack => "give UseSlack(secret) the app's signing secret (Basic Information in the Slack app settings), or remove the empty entry.",
        _ => "give the whsec_... secret the sender shows for this endpoint, or remove the empty entry.",
    };

    /// <summary>Every handler's payload type must be readable with the options (a source-generated context may lack one).</summary>
    private static void ValidatePayloadTypes(string receiver, WebhookReceiverDefinition definition, System.Text.Json.JsonSerializerOptions json, ValidateOptionsResultBuilder builder)
    {
        foreach (var handlers in (ReadOnlySpan<List<WebhookHandlerBinding>>)[definition.Handlers, definition.FallbackHandlers])
        {
            foreach (var handler in handlers)
            {
                try
                {
                    json.GetTypeInfo(handler.PayloadType);
                }
                catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException)
                {
                    builder.AddError($"{receiver} cannot read the payload type '{handler.PayloadType}' with its JsonSerializerOptions: {exception.Message}");
                }
            }
        }
    }
}
