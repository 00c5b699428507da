using Microsoft.Extensions.Options;

namespace Webhooks.Receiver.Sqlite.Internal;

/// <summary>Fails start-up with a message that says what to change in <see cref="SqliteWebhookInboxOptions"/>.</summary>
internal sealed class SqliteWebhookInboxOptionsValidator : IValidateOptions<SqliteWebhookInboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteWebhookInboxOptions options) =>
        SqliteWebhookInboxStore.Validate(options) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
