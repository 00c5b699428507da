using NpgsqlTypes;

namespace Webhooks.Sender.PostgreSql;

/// <content>Retention.</content>
public sealed partial class PostgreSqlWebhookStore
{
    /// <inheritdoc />
    public async Task<int> PurgeSucceededAsync(DateTimeOffset succeededBefore, int maxMessages, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessages);
        await using var command = await CommandAsync(_sql.PurgeSucceeded, cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("before", Utc(succeededBefore));
        command.Parameters.AddWithValue("max", maxMessages);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<int> PurgeFailedAsync(DateTimeOffset failedBefore, string? subscriptionId, int maxDeliveries, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDeliveries);
        await using var command = await CommandAsync(_sql.PurgeFailed, cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("before", Utc(failedBefore));
        command.Parameters.Add(Param("subscription", subscriptionId, NpgsqlDbType.Text));
        command.Parameters.AddWithValue("max", maxDeliveries);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
