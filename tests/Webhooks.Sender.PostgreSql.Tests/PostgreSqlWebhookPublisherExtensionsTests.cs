using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Webhooks.Sender.PostgreSql.Tests.Testing;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Sender.PostgreSql.Tests;

/// <summary>The transactional outbox: a publish inside the application's transaction exists only if it commits.</summary>
public sealed class PostgreSqlWebhookPublisherExtensionsTests : IAsyncLifetime
{
    private readonly PostgresSchemas _schemas = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schemas.DisposeAsync();

    [Fact]
    public async Task PublishAsync_InATransactionThatRollsBack_EnqueuesNothing()
    {
        var schema = _schemas.New();
        await using var receiver = await CountingReceiver.StartAsync();
        await using var sender = await PostgresSenderHost.StartAsync(schema);
        await sender.Subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest(receiver.Url));
        await using var connection = await PostgresTestDatabase.DataSource.OpenConnectionAsync();
        await CreateOrdersTableAsync(connection, schema);

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await InsertOrderAsync(connection, transaction, schema, 1);
            await sender.Publisher.PublishAsync(transaction, "order.created", new { Id = 1 });
            (await sender.Store.ListMessagesAsync(new())).Items.Should().BeEmpty("the publish is not visible before commit");
            await transaction.RollbackAsync();
        }

        (await sender.Store.ListMessagesAsync(new())).Items.Should().BeEmpty();
        (await sender.Store.CountUnfinishedAsync()).Should().Be(0);
        receiver.Distinct.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_InATransactionThatCommits_EnqueuesWithTheBusinessChangeAndDelivers()
    {
        var schema = _schemas.New();
        await using var receiver = await CountingReceiver.StartAsync();
        await using var sender = await PostgresSenderHost.StartAsync(schema);
        await sender.Subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest(receiver.Url));
        await using var connection = await PostgresTestDatabase.DataSource.OpenConnectionAsync();
        await CreateOrdersTableAsync(connection, schema);

        string messageId;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await InsertOrderAsync(connection, transaction, schema, 2);
            messageId = await sender.Publisher.PublishAsync(transaction, "order.created", new { Id = 2 });
            await transaction.CommitAsync();
        }

        await receiver.WaitForDistinctAsync(1, TimeSpan.FromSeconds(20));
        receiver.Counts.Keys.Should().Equal(messageId);
        (await sender.Store.GetMessageAsync(messageId)).Should().NotBeNull();
    }

    [Fact]
    public async Task PublishAsync_WithAStoreThatIsNotPostgreSql_Throws()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddWebhookSender(o => o.DispatcherEnabled = false);
        using var host = builder.Build();
        var publisher = host.Services.GetRequiredService<IWebhookPublisher>();
        await using var connection = await PostgresTestDatabase.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        var act = () => publisher.PublishAsync(transaction, "order.created", new { Id = 3 });

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*UsePostgreSql*");
    }

    private static async Task CreateOrdersTableAsync(Npgsql.NpgsqlConnection connection, string schema)
    {
        await using var command = new Npgsql.NpgsqlCommand($"CREATE TABLE \"{schema}\".orders (id int PRIMARY KEY)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task InsertOrderAsync(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, string schema, int id)
    {
        await using var command = new Npgsql.NpgsqlCommand($"INSERT INTO \"{schema}\".orders VALUES ({id})", connection, transaction);
        await command.ExecuteNonQueryAsync();
    }
}
