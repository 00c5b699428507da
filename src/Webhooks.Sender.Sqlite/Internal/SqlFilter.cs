using Microsoft.Data.Sqlite;

namespace Webhooks.Sender.Sqlite.Internal;

/// <summary>The optional filters of a list query: a clause and its parameter for every filter that is set.</summary>
internal sealed class SqlFilter
{
    private readonly List<string> _clauses = [];
    private readonly List<KeyValuePair<string, object>> _parameters = [];

    /// <summary>Gets the clauses as <c> AND ...</c> text to append to a <c>WHERE</c>, or empty.</summary>
    public string Sql => _clauses.Count == 0 ? string.Empty : " AND " + string.Join(" AND ", _clauses);

    /// <summary>Adds <paramref name="clause"/> with <paramref name="value"/> bound to <paramref name="name"/>, unless the value is null.</summary>
    public void Add(object? value, string clause, string name)
    {
        if (value is null)
        {
            return;
        }

        _clauses.Add(clause);
        _parameters.Add(new(name, value switch
        {
            DateTimeOffset time => time.ToUnixTimeMilliseconds(),
            Enum e => Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture),
            _ => value,
        }));
    }

    public void Bind(SqliteCommand command)
    {
        foreach (var (name, value) in _parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
    }
}
