using System.Net;
using System.Net.Sockets;
using Webhooks.Sender.PostgreSql.Tests.Testing;
using Webhooks.Sender.Tests.Health;

namespace Webhooks.Sender.PostgreSql.Tests;

public sealed class PostgreSqlWebhookSenderHealthCheckTests : WebhookSenderHealthCheckStoreTests, IAsyncLifetime
{
    private readonly PostgresSchemas _schemas = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schemas.DisposeAsync();

    protected override void UseStore(IWebhookSenderBuilder sender)
    {
        var schema = _schemas.New();
        sender.UsePostgreSql(o =>
        {
            o.DataSource = PostgresTestDatabase.DataSource;
            o.Schema = schema;
            o.ListenForNotifications = false;
        });
    }

    protected override void UseUnreachableStore(IWebhookSenderBuilder sender)
    {
        // A loopback port that was just free: nothing listens there, so every connection is refused at once.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        sender.UsePostgreSql($"Host=127.0.0.1;Port={port};Username=nobody;Database=none;Timeout=5");
    }
}
