using System.Text;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.PostgreSql.Internal;

/// <summary>The WHERE clause of a keyset-paged list: conditions joined with AND, their parameters, and the page start.</summary>
internal sealed class SqlFilter
{
    private readonly List<string> _conditions;
    private readonly List<(string Name, object? Value, NpgsqlDbType Type)> _parameters;

    public SqlFilter(WebhookQuery query)
    {
        if (query.Limit is < 1 or > WebhookQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"Limit must be between 1 and {WebhookQuery.MaxLimit}.");
        }

        _conditions = [];
        _parameters = [];
        After = query.After;
    }

    private SqlFilter(SqlFilter other, string? after)
    {
        _conditions = other._conditions;
        _parameters = other._parameters;
        After = after;
    }

    public string? After { get; }

    public SqlFilter WithAfter(string? after) => new(this, after);

    public void Add(string condition, NpgsqlParameter parameter)
    {
        _conditions.Add(condition);
        _parameters.Add((parameter.ParameterName, parameter.Value, parameter.NpgsqlDbType));
    }

    public void Equal(string column, string? value)
    {
        if (value is not null)
        {
            Add($"{column} = @{column}", new NpgsqlParameter(column, NpgsqlDbType.Text) { Value = value });
        }
    }

    public void Window(string column, DateTimeOffset? since, DateTimeOffset? until)
    {
        if (since is { } s)
        {
            Add($"{column} >= @since", new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = s.ToUniversalTime() });
        }

        if (until is { } u)
        {
            Add($"{column} < @until", new NpgsqlParameter("until", NpgsqlDbType.TimestampTz) { Value = u.ToUniversalTime() });
        }
    }

    /// <summary>Builds <c>SELECT columns FROM table WHERE ... ORDER BY id DESC LIMIT limit + 1</c>.</summary>
    public NpgsqlCommand Build(NpgsqlDataSource dataSource, string table, string columns, int limit)
    {
        var sql = new StringBuilder("SELECT ").Append(columns).Append(" FROM ").Append(table);
        var conditions = After is null ? _conditions : [.. _conditions, "id < @after"];
        if (conditions.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", conditions);
        }

        sql.Append(" ORDER BY id DESC LIMIT @limit");
        var command = dataSource.CreateCommand(sql.ToString());
        foreach (var (name, value, type) in _parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        }

        if (After is not null)
        {
            command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Text) { Value = After });
        }

        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit + 1 });
        return command;
    }
}
