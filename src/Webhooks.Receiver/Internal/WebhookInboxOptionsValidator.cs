using Microsoft.Extensions.Options;

namespace Webhooks.Receiver.Internal;

/// <summary>Checks an inbox's options at start-up; messages name the receiver, the option and its value.</summary>
internal sealed class WebhookInboxOptionsValidator(WebhookReceiverRegistry registry) : IValidateOptions<WebhookInboxOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookInboxOptions options)
    {
        name ??= Options.DefaultName;
        if (!registry.TryGet(name, out var definition) || !definition.UsesInbox)
        {
            return ValidateOptionsResult.Skip;
        }

        var receiver = name.Length == 0 ? "The default webhook receiver's inbox" : $"The inbox of webhook receiver '{name}'";
        var builder = new ValidateOptionsResultBuilder();
        for (var i = 0; i < options.RetryDelays.Count; i++)
        {
            if (options.RetryDelays[i] < TimeSpan.Zero)
            {
                builder.AddError($"{receiver} has RetryDelays[{i}] = {options.RetryDelays[i]}: a delay cannot be negative.");
            }
        }

        if (options.MaxAttempts is < 1 or > 1000)
        {
            builder.AddError($"{receiver} has MaxAttempts = {options.MaxAttempts}: it must be from 1 to 1000 (the default is {WebhookInboxOptions.DefaultMaxAttempts}).");
        }

        Positive(builder, receiver, nameof(options.LeaseDuration), options.LeaseDuration, WebhookInboxOptions.DefaultLeaseDuration);
        Positive(builder, receiver, nameof(options.PollInterval), options.PollInterval, WebhookInboxOptions.DefaultPollInterval);
        Positive(builder, receiver, nameof(options.ProcessedRetention), options.ProcessedRetention, WebhookInboxOptions.DefaultProcessedRetention);
        Positive(builder, receiver, nameof(options.DeadRetention), options.DeadRetention, WebhookInboxOptions.DefaultDeadRetention);
        Positive(builder, receiver, nameof(options.RetentionInterval), options.RetentionInterval, WebhookInboxOptions.DefaultRetentionInterval);
        if (options.MaxConcurrency is < 1 or > 1024)
        {
            builder.AddError($"{receiver} has MaxConcurrency = {options.MaxConcurrency}: it must be from 1 to 1024 (the default is {WebhookInboxOptions.DefaultMaxConcurrency}).");
        }

        if (options.AcceptedStatusCode is < 200 or > 299)
        {
            builder.AddError($"{receiver} has AcceptedStatusCode = {options.AcceptedStatusCode}: it must be a 2xx status, or the sender would retry a stored webhook (the default is 202).");
        }

        return builder.Build();
    }

    private static void Positive(ValidateOptionsResultBuilder builder, string receiver, string option, TimeSpan value, TimeSpan defaultValue)
    {
        if (value <= TimeSpan.Zero)
        {
            builder.AddError($"{receiver} has {option} = {value}: it must be positive (the default is {defaultValue}).");
        }
    }
}
