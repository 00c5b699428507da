using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Webhooks.Receiver.Inbox;

namespace Webhooks.Receiver.PostgreSql.Tests;

/// <summary>Two receiver instances (two hosts, each with its processor) share one PostgreSQL inbox.</summary>
public sealed class PostgreSqlInboxTwoProcessorTests : IAsyncLifetime
{
    private const int Items = 300;
    private readonly PostgresInbox _inbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _inbox.DisposeAsync();

    [Fact]
    public async Task TwoProcessors_HandleEveryItem_NeverOneItemTwiceAtOnce()
    {
        var schema = _inbox.NewSchema();
        var store = await _inbox.NewStoreAsync(schema);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < Items; i++)
        {
            var body = Encoding.UTF8.GetBytes($$"""{"n":{{i}}}""");
            await store.AddAsync(
                new WebhookInboxEntry { ReceiverName = "", MessageId = "m" + i, EventType = "order.created", ReceivedAt = now, Body = body, PayloadLength = body.Length, Headers = "{}" },
                default);
        }

        var tracker = new Tracker(Items);
        var hosts = new[] { await StartAsync(schema, tracker, 0), await StartAsync(schema, tracker, 1) };
        try
        {
            await tracker.AllHandled.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }
        }

        tracker.Overlaps.Should().Be(0, "no item runs on two processors at once");
        tracker.Runs.Should().HaveCount(Items).And.OnlyContain(r => r.Value == 1);
        tracker.ByInstance.Values.Sum().Should().Be(Items);
        var statistics = await store.GetStatisticsAsync(null, default);
        statistics.Pending.Should().Be(0);
        statistics.Dead.Should().Be(0);
    }

    private static async Task<IHost> StartAsync(string schema, Tracker tracker, int instance)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWebhookReceiver(o => o.Secrets.Add("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
            .AddHandler<JsonElement>("order.created", (context, _) => tracker.RunAsync(context.MessageId, instance))
            .UseInbox(o =>
            {
                o.PollInterval = TimeSpan.FromMilliseconds(20);
                o.MaxConcurrency = 4;
            })
            .UsePostgreSqlInbox(o =>
            {
                o.DataSource = PostgresInbox.DataSource;
                o.Schema = schema;
            });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private sealed class Tracker(int expected)
    {
        private readonly ConcurrentDictionary<string, byte> _running = new();
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _overlaps;
        private int _distinct;

        public ConcurrentDictionary<string, int> Runs { get; } = new();

        public ConcurrentDictionary<int, int> ByInstance { get; } = new();

        public int Overlaps => Volatile.Read(ref _overlaps);

        public Task AllHandled => _all.Task;

        public async Task RunAsync(string messageId, int instance)
        {
            if (!_running.TryAdd(messageId, 0))
            {
                Interlocked.Increment(ref _overlaps);
            }

            // Give the other processor every chance to claim the same item while this one runs.
            await Task.Yield();
            _running.TryRemove(messageId, out _);
            ByInstance.AddOrUpdate(instance, 1, static (_, n) => n + 1);
            if (Runs.AddOrUpdate(messageId, 1, static (_, n) => n + 1) == 1 && Interlocked.Increment(ref _distinct) == expected)
            {
                _all.TrySetResult();
            }
        }
    }
}
