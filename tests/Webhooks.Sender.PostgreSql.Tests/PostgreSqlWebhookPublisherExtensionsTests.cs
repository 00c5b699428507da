using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Webhooks.Sender.PostgreSql.Tests.Testing;
using Webhooks.Sender.Publishing;
using Webhooks.Sender;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Sender.PostgreSql.Tests;

/// <summary>The transactional outbox: a publish inside the application's transaction exists only if it commits.</summary>
public sealed class PostgreSqlWebhookPublisherExtensionsTests : IAsyncLifetime
{
    private readonly PostgresSchemas _schemas = new();
    private readonly List<IAsyncDisposable> _running = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _running.Count - 1; i >= 0; i--)
        {
            await _running[i].DisposeAsync();
        }

        await _schemas.DisposeAsync();
    }

    [Fact]
    public async Task PublishAsync_InATransactionThatRollsBack_EnqueuesNothing()
    {
        var (schema, receiver, sender) = await StartSenderAndReceiverAsync();
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
    public async Task PublishAsync_InATransaction_IsNeverGroupedWithOtherCallers()
    {
        var (schema, _, sender) = await StartSenderAndReceiverAsync();
        await using var connection = await PostgresTestDatabase.DataSource.OpenConnectionAsync();
        await CreateOrdersTableAsync(connection, schema);
        sender.Store.CanGroupEnqueue.Should().BeTrue("a plain publish may share a write with others");

        await using var transaction = await connection.BeginTransactionAsync();
        Internal.PostgreSqlAmbientTransaction.Enter(transaction);
        try
        {
            sender.Store.CanGroupEnqueue.Should().BeFalse("the application's transaction must hold this caller's message alone");
        }
        finally
        {
            Internal.PostgreSqlAmbientTransaction.Exit();
        }

        var inside = await sender.Publisher.PublishAsync(transaction, "order.created", new { Id = 3 });
        var outside = await Task.Run(() => sender.Publisher.PublishAsync("order.created", new { Id = 4 }));
        (await sender.Store.GetMessageAsync(outside)).Should().NotBeNull("another caller's publish commits on its own");
        await transaction.RollbackAsync();

        (await sender.Store.GetMessageAsync(inside)).Should().BeNull();
        (await sender.Store.GetMessageAsync(outside)).Should().NotBeNull();
    }

    [Fact]
    public async Task PublishAsync_InATransactionThatCommits_EnqueuesWithTheBusinessChangeAndDelivers()
    {
        var (schema, receiver, sender) = await StartSenderAndReceiverAsync();
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
    public async Task ReadmeSnippet_PublishInsideTheTransaction_DeliversAfterCommit()
    {
        var (schema, receiver, sender) = await StartSenderAndReceiverAsync();
        var builder = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ConnectionString) { SearchPath = schema };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var publisher = sender.Publisher;
        await using (var create = dataSource.CreateCommand("CREATE TABLE orders (id int PRIMARY KEY)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        // docs/stores.md "Publishing inside your transaction", verbatim.
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        await using (var insert = new NpgsqlCommand("INSERT INTO orders (id) VALUES (@id)", connection, transaction))
        {
            insert.Parameters.AddWithValue("id", 42);
            await insert.ExecuteNonQueryAsync();
        }

        await publisher.PublishAsync(transaction, "order.created", new OrderCreated(42));
        await transaction.CommitAsync();   // the webhook goes out only now; after a rollback it never exists

        await receiver.WaitForDistinctAsync(1, TimeSpan.FromSeconds(20));
        receiver.Distinct.Should().Be(1);
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

    // A sender on a fresh schema with one subscription to a loopback receiver; both stop when the test ends.
    private async Task<(string Schema, CountingReceiver Receiver, PostgresSenderHost Sender)> StartSenderAndReceiverAsync()
    {
        var schema = _schemas.New();
        var receiver = await CountingReceiver.StartAsync();
        _running.Add(receiver);
        var sender = await PostgresSenderHost.StartAsync(schema);
        _running.Add(sender);
        await sender.Subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest(receiver.Url));
        return (schema, receiver, sender);
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

    private sealed record OrderCreated(int OrderId);
}
