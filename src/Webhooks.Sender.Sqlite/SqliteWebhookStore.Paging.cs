using Microsoft.Data.Sqlite;
using Webhooks.Sender.Sqlite.Internal;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Sqlite;

public sealed partial class SqliteWebhookStore
{
    private static void CheckLimit(WebhookQuery query)
    {
        if (query.Limit is < 1 or > WebhookQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"Limit must be between 1 and {WebhookQuery.MaxLimit}.");
        }
    }

    /// <summary>Reads one row by primary key.</summary>
    private Task<T?> GetByIdAsync<T>(string table, string columns, string id, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(id);
        return ReadAsync((table, columns, id, read), static (connection, state) =>
        {
            using var command = connection.Command($"SELECT {state.columns} FROM {state.table} WHERE id = $id").With("$id", state.id);
            using var reader = command.ExecuteReader();
            return reader.Read() ? state.read(reader) : null;
        }, cancellationToken);
    }

    /// <summary>Lists rows of <paramref name="table"/> newest first, with the filters <paramref name="filter"/> adds for the query.</summary>
    private Task<WebhookPage<T>> ListAsync<TQuery, T>(
        TQuery query,
        string table,
        string columns,
        Action<SqlFilter, TQuery> filter,
        Func<SqliteDataReader, T> read,
        Func<T, string> idOf,
        CancellationToken cancellationToken,
        Func<T, bool>? keep = null)
        where TQuery : WebhookQuery
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckLimit(query);
        return ReadAsync(query, (connection, q) =>
        {
            var where = new SqlFilter();
            filter(where, q);
            return Page(connection, table, columns, where, q, read, idOf, keep);
        }, cancellationToken);
    }

    /// <summary>
    /// Reads one page newest first by key: <c>id &lt; $after ORDER BY id DESC LIMIT limit + 1</c>, the extra row telling
    /// whether there is a next page. With <paramref name="keep"/> (a filter only code can apply) it reads on in chunks
    /// until the page is full or the rows run out.
    /// </summary>
    private static WebhookPage<T> Page<T>(
        SqliteConnection connection,
        string table,
        string columns,
        SqlFilter where,
        WebhookQuery query,
        Func<SqliteDataReader, T> read,
        Func<T, string> idOf,
        Func<T, bool>? keep = null)
    {
        var items = new List<T>(Math.Min(query.Limit, 128));
        var cursor = query.After;
        var take = query.Limit + 1;
        while (true)
        {
            using var command = connection.Command(
                $"SELECT {columns} FROM {table} WHERE 1 = 1{where.Sql}{(cursor is null ? string.Empty : " AND id < $after")} ORDER BY id DESC LIMIT $take");
            where.Bind(command);
            command.With("$after", cursor).With("$take", take);
            using var reader = command.ExecuteReader();
            var rows = 0;
            while (reader.Read())
            {
                rows++;
                var item = read(reader);
                cursor = idOf(item);
                if (keep is not null && !keep(item))
                {
                    continue;
                }

                if (items.Count == query.Limit)
                {
                    return new WebhookPage<T>(items, idOf(items[^1]));
                }

                items.Add(item);
            }

            if (rows < take)
            {
                return new WebhookPage<T>(items, null);
            }
        }
    }
}
