using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Webhooks.Sender.PostgreSql.Internal;

/// <summary>
/// The data source the registered store uses: <see cref="PostgreSqlWebhookStoreOptions.DataSource"/>, else one built
/// from <see cref="PostgreSqlWebhookStoreOptions.ConnectionString"/> (owned and disposed here), else the
/// <see cref="NpgsqlDataSource"/> registered in the container.
/// </summary>
internal sealed class PostgreSqlDataSourceProvider : IDisposable, IAsyncDisposable
{
    private readonly NpgsqlDataSource? _owned;

    public PostgreSqlDataSourceProvider(IOptions<PostgreSqlWebhookStoreOptions> options, IServiceProvider services)
    {
        var o = options.Value;
        if (o.DataSource is not null)
        {
            DataSource = o.DataSource;
        }
        else if (!string.IsNullOrWhiteSpace(o.ConnectionString))
        {
            DataSource = _owned = NpgsqlDataSource.Create(o.ConnectionString);
        }
        else
        {
            DataSource = services.GetService<NpgsqlDataSource>()
                ?? throw new InvalidOperationException("The PostgreSQL webhook store has no database: pass a connection string to UsePostgreSql, set PostgreSqlWebhookStoreOptions.DataSource, or register an NpgsqlDataSource (for example with AddNpgsqlDataSource).");
        }
    }

    public NpgsqlDataSource DataSource { get; }

    public void Dispose() => _owned?.Dispose();

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
