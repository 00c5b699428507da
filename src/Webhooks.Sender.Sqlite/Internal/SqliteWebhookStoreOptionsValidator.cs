using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Webhooks.Sender.Sqlite.Internal;

/// <summary>Checks <see cref="SqliteWebhookStoreOptions"/> at start; every message says what to change.</summary>
internal sealed class SqliteWebhookStoreOptionsValidator : IValidateOptions<SqliteWebhookStoreOptions>
{
    public const int MaxRetentionBatchSize = 10_000;

    public ValidateOptionsResult Validate(string? name, SqliteWebhookStoreOptions options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Returns what is wrong with the options (empty when they are valid).</summary>
    public static List<string> Check(SqliteWebhookStoreOptions options)
    {
        var errors = new List<string>();
        if (!TryParseConnectionString(options.ConnectionString, out _, out var error))
        {
            errors.Add(error);
        }

        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            errors.Add($"SqliteWebhookStoreOptions.BusyTimeout is {options.BusyTimeout}; use a positive time such as 00:00:05.");
        }

        if (options.SucceededRetention is { } retention && retention <= TimeSpan.Zero)
        {
            errors.Add($"SqliteWebhookStoreOptions.SucceededRetention is {retention}; use a positive age such as 7.00:00:00, or null to keep everything.");
        }

        if (options.RetentionInterval <= TimeSpan.Zero)
        {
            errors.Add($"SqliteWebhookStoreOptions.RetentionInterval is {options.RetentionInterval}; use a positive time such as 01:00:00.");
        }

        if (options.RetentionBatchSize is < 1 or > MaxRetentionBatchSize)
        {
            errors.Add($"SqliteWebhookStoreOptions.RetentionBatchSize is {options.RetentionBatchSize}; use a value from 1 to {MaxRetentionBatchSize}.");
        }

        if (options.RetentionBatchPause < TimeSpan.Zero || options.RetentionBatchPause > TimeSpan.FromMinutes(1))
        {
            errors.Add($"SqliteWebhookStoreOptions.RetentionBatchPause is {options.RetentionBatchPause}; use a time from 00:00:00 to 00:01:00.");
        }

        if (options.RetentionMaxPerRun is < 1)
        {
            errors.Add($"SqliteWebhookStoreOptions.RetentionMaxPerRun is {options.RetentionMaxPerRun}; use a positive count, or null to purge until nothing eligible is left.");
        }

        return errors;
    }

    /// <summary>
    /// Parses the connection string and rejects what the store cannot work with. The messages quote the data source
    /// and keywords, never the whole string (it may hold a password).
    /// </summary>
    public static bool TryParseConnectionString(string? connectionString, out SqliteConnectionStringBuilder builder, out string error)
    {
        builder = new SqliteConnectionStringBuilder();
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            error = "SqliteWebhookStoreOptions.ConnectionString is empty; set it to a file, for example 'Data Source=webhooks.db'.";
            return false;
        }

        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            // The exception names the bad keyword or value; it is about the syntax, not a secret.
            error = $"SqliteWebhookStoreOptions.ConnectionString is not a valid SQLite connection string: {ex.Message} Use, for example, 'Data Source=webhooks.db'.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            error = "SqliteWebhookStoreOptions.ConnectionString has no 'Data Source'; name the database file, for example 'Data Source=webhooks.db'.";
            return false;
        }

        if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            error = $"SqliteWebhookStoreOptions.ConnectionString opens '{builder.DataSource}' with 'Mode=ReadOnly'; the store writes, use 'Mode=ReadWriteCreate' (the default) or 'Mode=ReadWrite'.";
            return false;
        }

        return true;
    }
}
