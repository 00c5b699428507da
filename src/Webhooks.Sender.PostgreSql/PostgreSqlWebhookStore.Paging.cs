using Npgsql;
using Webhooks.Sender.PostgreSql.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql;

/// <content>Keyset paging shared by the list operations.</content>
public sealed partial class PostgreSqlWebhookStore
{
    private async Task<WebhookPage<T>> PageAsync<T>(string table, string columns, SqlFilter filter, int limit, Func<NpgsqlDataReader, T> read, Func<T, string> id, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var command = filter.Build(_dataSource, table, columns, limit);
        var items = new List<T>(Math.Min(limit, 128));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (items.Count == limit)
            {
                // One row more than asked for: there is a next page, which starts after the last item returned.
                return new WebhookPage<T>(items, id(items[^1]));
            }

            items.Add(read(reader));
        }

        return new WebhookPage<T>(items, null);
    }
}
