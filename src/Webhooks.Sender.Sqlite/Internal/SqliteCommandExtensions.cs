using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Webhooks.Sender.Sqlite.Internal;

/// <summary>Small helpers that keep the store's data access readable.</summary>
internal static class SqliteCommandExtensions
{
    private const int SqliteConstraint = 19;

    // Prepared statements of the writer connection, by SQL text: the hot path (enqueue, claim, complete) skips
    // re-parsing its statements on every call.
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Statements = new();

    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>
    /// Gets the writer's cached command for <paramref name="sql"/> (prepared at its first execution), with no parameters
    /// and the given transaction. Only under the write lock; never dispose it (<see cref="DisposeStatements"/> does).
    /// </summary>
    public static SqliteCommand Statement(this SqliteConnection connection, string sql, SqliteTransaction transaction)
    {
        var cache = Statements.GetOrCreateValue(connection);
        if (!cache.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            cache[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>Disposes the cached commands of a connection about to be closed.</summary>
    public static void DisposeStatements(this SqliteConnection connection)
    {
        if (Statements.TryGetValue(connection, out var cache))
        {
            foreach (var command in cache.Values)
            {
                command.Dispose();
            }

            Statements.Remove(connection);
        }
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, DateTimeOffset? value) =>
        command.With(name, value is { } v ? v.ToUnixTimeMilliseconds() : null);

    public static SqliteCommand WithBlob(this SqliteCommand command, string name, ReadOnlyMemory<byte> value)
    {
        var bytes = MemoryMarshal.TryGetArray(value, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : value.ToArray();
        command.Parameters.Add(name, SqliteType.Blob).Value = bytes;
        return command;
    }

    /// <summary>Adds parameters whose values are set later with <see cref="Set(SqliteCommand, string, object?)"/>.</summary>
    public static SqliteCommand Declare(this SqliteCommand command, params string[] names)
    {
        foreach (var name in names)
        {
            command.Parameters.AddWithValue(name, DBNull.Value);
        }

        return command;
    }

    /// <summary>Sets an existing parameter's value (for a command run once per row).</summary>
    public static void Set(this SqliteCommand command, string name, object? value) => command.Parameters[name].Value = value ?? DBNull.Value;

    public static void Set(this SqliteCommand command, string name, DateTimeOffset? value) =>
        command.Set(name, value is { } v ? v.ToUnixTimeMilliseconds() : null);

    public static string? GetStringOrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static int? GetInt32OrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    public static DateTimeOffset GetTime(this SqliteDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static DateTimeOffset? GetTimeOrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetTime(ordinal);

    public static bool IsConstraintViolation(this SqliteException exception) => exception.SqliteErrorCode == SqliteConstraint;
}
