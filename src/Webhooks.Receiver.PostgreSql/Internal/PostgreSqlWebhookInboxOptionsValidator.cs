using Microsoft.Extensions.Options;

namespace Webhooks.Receiver.PostgreSql.Internal;

/// <summary>Fails start-up with a message that says what to change in <see cref="PostgreSqlWebhookInboxOptions"/>.</summary>
internal sealed class PostgreSqlWebhookInboxOptionsValidator : IValidateOptions<PostgreSqlWebhookInboxOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlWebhookInboxOptions options) =>
        PostgreSqlWebhookInboxStore.ValidateSchema(options.Schema) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
