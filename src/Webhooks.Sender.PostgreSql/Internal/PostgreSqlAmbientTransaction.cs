using Npgsql;

namespace Webhooks.Sender.PostgreSql.Internal;

/// <summary>
/// The application's transaction that the next enqueue in this async flow joins (the transactional outbox). Set by
/// <see cref="PostgreSqlWebhookPublisherExtensions"/> around an ordinary publish; the store marks it used.
/// </summary>
internal sealed class PostgreSqlAmbientTransaction
{
    private static readonly AsyncLocal<PostgreSqlAmbientTransaction?> CurrentSlot = new();

    private PostgreSqlAmbientTransaction(NpgsqlTransaction transaction) => Transaction = transaction;

    public static PostgreSqlAmbientTransaction? Current => CurrentSlot.Value;

    public NpgsqlTransaction Transaction { get; }

    /// <summary>Gets a value indicating whether a store enqueued inside the transaction.</summary>
    public bool Used { get; private set; }

    public static PostgreSqlAmbientTransaction Enter(NpgsqlTransaction transaction)
    {
        if (CurrentSlot.Value is not null)
        {
            throw new InvalidOperationException("A webhook publish inside a PostgreSQL transaction is already running in this async flow; await it before publishing again.");
        }

        var scope = new PostgreSqlAmbientTransaction(transaction);
        CurrentSlot.Value = scope;
        return scope;
    }

    public static void Exit() => CurrentSlot.Value = null;

    public NpgsqlCommand CreateCommand(string sql)
    {
        Used = true;
        var connection = Transaction.Connection
            ?? throw new InvalidOperationException("The PostgreSQL transaction passed to PublishAsync has already completed; publish before committing it.");
        return new NpgsqlCommand(sql, connection, Transaction);
    }
}
