using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Webhooks.Receiver.PostgreSql.Internal;

/// <summary>
/// The data source of the registered inbox store: the options' own, else one built from their connection string (owned
/// and disposed here), else the <see cref="NpgsqlDataSource"/> registered in the services.
/// </summary>
internal sealed class PostgreSqlInboxDataSource : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _owned;

    public PostgreSqlInboxDataSource(IOptions<PostgreSqlWebhookInboxOptions> options, IServiceProvider services)
    {
        var o = options.Value;
        DataSource = o.DataSource
            ?? (string.IsNullOrWhiteSpace(o.ConnectionString) ? null : _owned = NpgsqlDataSource.Create(o.ConnectionString))
            ?? services.GetService<NpgsqlDataSource>()
            ?? throw new InvalidOperationException(
                "The PostgreSQL webhook inbox has no database: pass a connection string to UsePostgreSqlInbox, set PostgreSqlWebhookInboxOptions.DataSource, or register an NpgsqlDataSource.");
    }

    public NpgsqlDataSource DataSource { get; }

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
