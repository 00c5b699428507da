using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Webhooks.Sender.PostgreSql.Internal;

/// <summary>Checks <see cref="PostgreSqlWebhookStoreOptions"/> at start-up; each message names the option and says what to change.</summary>
internal sealed partial class PostgreSqlWebhookStoreOptionsValidator : IValidateOptions<PostgreSqlWebhookStoreOptions>
{
    /// <summary>Set when the data source comes from the container, so no connection string is needed.</summary>
    public bool DataSourceFromServices { get; init; }

    public ValidateOptionsResult Validate(string? name, PostgreSqlWebhookStoreOptions options)
    {
        var errors = Validate(options, DataSourceFromServices);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Validate(PostgreSqlWebhookStoreOptions options, bool dataSourceFromServices)
    {
        var errors = new List<string>();
        if (!dataSourceFromServices && options.DataSource is null && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add("PostgreSqlWebhookStoreOptions.ConnectionString is empty; set it (for example 'Host=localhost;Database=app;Username=app') or set DataSource.");
        }

        if (options.Schema is null || !SchemaName().IsMatch(options.Schema))
        {
            errors.Add($"PostgreSqlWebhookStoreOptions.Schema is '{options.Schema}'; use lower-case letters, digits and underscores, starting with a letter or underscore, at most 63 characters.");
        }

        if (options.ListenReconnectDelay <= TimeSpan.Zero)
        {
            errors.Add($"PostgreSqlWebhookStoreOptions.ListenReconnectDelay is '{options.ListenReconnectDelay}'; it must be positive.");
        }

        if (options.SucceededRetention is { } retention && retention <= TimeSpan.Zero)
        {
            errors.Add($"PostgreSqlWebhookStoreOptions.SucceededRetention is '{retention}'; it must be positive, or null to keep everything.");
        }

        if (options.RetentionInterval <= TimeSpan.Zero)
        {
            errors.Add($"PostgreSqlWebhookStoreOptions.RetentionInterval is '{options.RetentionInterval}'; it must be positive.");
        }

        if (options.RetentionBatchSize is < 1 or > 100_000)
        {
            errors.Add($"PostgreSqlWebhookStoreOptions.RetentionBatchSize is '{options.RetentionBatchSize}'; it must be between 1 and 100000.");
        }

        if (options.RetentionBatchPause < TimeSpan.Zero || options.RetentionBatchPause > TimeSpan.FromMinutes(1))
        {
            errors.Add($"PostgreSqlWebhookStoreOptions.RetentionBatchPause is '{options.RetentionBatchPause}'; use a time from 00:00:00 to 00:01:00.");
        }

        if (options.RetentionMaxPerRun is < 1)
        {
            errors.Add($"PostgreSqlWebhookStoreOptions.RetentionMaxPerRun is '{options.RetentionMaxPerRun}'; use a positive count, or null to purge until nothing eligible is left.");
        }

        return errors;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
