using Webhooks.Sender.PostgreSql.Tests.Testing;

namespace Webhooks.Sender.PostgreSql.Tests;

public sealed class PostgreSqlNotificationTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly PostgresSchemas _schemas = new();
    private readonly CancellationTokenSource _stop = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        await _schemas.DisposeAsync();
    }

    [Fact]
    public async Task Enqueue_OnOneInstance_WakesAListeningInstanceOfTheSameSchemaOnly()
    {
        var schema = _schemas.New();
        var publisher = await _schemas.NewStoreAsync(TimeProvider.System, schema);
        var listener = await _schemas.NewStoreAsync(TimeProvider.System, schema);
        var otherSchema = await _schemas.NewStoreAsync(TimeProvider.System);
        var woken = Signal(listener);
        var otherWoken = Signal(otherSchema);
        var listening = ListenUntilReadyAsync(listener);
        var otherListening = ListenUntilReadyAsync(otherSchema);
        await listening;
        await otherListening;
        var data = new StoreData(TimeProvider.System);

        await data.EnqueueAsync(publisher, "sub_a");

        (await woken.Task.WaitAsync(Wait)).Should().BeTrue();
        await data.EnqueueAsync(otherSchema, "sub_b");
        (await otherWoken.Task.WaitAsync(Wait)).Should().BeTrue("each schema wakes its own listeners");
    }

    [Fact]
    public async Task Enqueue_WithoutDeliveries_DoesNotNotify()
    {
        var schema = _schemas.New();
        var publisher = await _schemas.NewStoreAsync(TimeProvider.System, schema);
        var listener = await _schemas.NewStoreAsync(TimeProvider.System, schema);
        var count = 0;
        listener.DeliveriesDue += (_, _) => Interlocked.Increment(ref count);
        await ListenUntilReadyAsync(listener);
        var data = new StoreData(TimeProvider.System);

        await data.EnqueueAsync(publisher);
        var marker = Signal(listener);
        await data.EnqueueAsync(publisher, "sub_a");
        await marker.Task.WaitAsync(Wait);

        // Notifications arrive in commit order: by the time the second one is here, the first would have been.
        Volatile.Read(ref count).Should().Be(1);
    }

    [Fact]
    public async Task ListenAsync_WhenTheConnectionIsKilled_ListensAgainAndReportsPossiblyMissedWork()
    {
        var schema = _schemas.New();
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestDatabase.ConnectionString) { ApplicationName = schema };
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(builder.ConnectionString);
        var listener = new PostgreSqlWebhookStore(dataSource, PostgresTestDatabase.Options(schema));
        var publisher = await _schemas.NewStoreAsync(TimeProvider.System, schema);
        var readyCount = 0;
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.ListenerReady += (_, _) =>
        {
            if (Interlocked.Increment(ref readyCount) == 2)
            {
                second.TrySetResult();
            }
        };
        await ListenUntilReadyAsync(listener);
        var afterReconnect = Signal(listener);

        await using (var kill = PostgresTestDatabase.DataSource.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name"))
        {
            kill.Parameters.AddWithValue("name", schema);
            (await kill.ExecuteScalarAsync()).Should().Be(1L);
        }

        await second.Task.WaitAsync(Wait);
        (await afterReconnect.Task.WaitAsync(Wait)).Should().BeTrue("work published while the connection was down would have gone unheard");
        var woken = Signal(listener);
        await new StoreData(TimeProvider.System).EnqueueAsync(publisher, "sub_a");
        (await woken.Task.WaitAsync(Wait)).Should().BeTrue();
    }

    private static TaskCompletionSource<bool> Signal(PostgreSqlWebhookStore store)
    {
        var tcs = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.DeliveriesDue += (_, _) => tcs.TrySetResult(true);
        return tcs;
    }

    // Starts ListenAsync and returns once the LISTEN is in place.
    private async Task ListenUntilReadyAsync(PostgreSqlWebhookStore store)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.ListenerReady += (_, _) => ready.TrySetResult();
        _ = store.ListenAsync(_stop.Token);
        await ready.Task.WaitAsync(Wait);
    }
}
