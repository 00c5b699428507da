using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Webhooks.Sender.Delivery;
using Webhooks.Sender;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;
using Webhooks.Sender.Tests.Testing;
using Xunit.Abstractions;

namespace Webhooks.Sender.Tests.Health;

/// <summary>
/// One healthy and one hanging endpoint on a real Kestrel server on 127.0.0.1, the real dispatcher and HTTP stack on
/// the real clock. Every connection goes through a connector that refuses anything but loopback.
/// </summary>
public sealed class SlowEndpointIsolationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Messages = 50;
    private const int PerEndpointLimit = 4;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource<long> _healthyDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<long> _hangingEntered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _server = null!;
    private int _healthyCount;
    private readonly ConcurrentQueue<DateTimeOffset> _hangingEntries = new();
    private int _port;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.MapPost("/healthy", () =>
        {
            if (Interlocked.Increment(ref _healthyCount) == Messages)
            {
                _healthyDone.TrySetResult(TimeProvider.System.GetTimestamp());
            }

            return Results.NoContent();
        });
        _server.MapPost("/hanging", async (HttpContext context) =>
        {
            _hangingEntered.TrySetResult(TimeProvider.System.GetTimestamp());
            _hangingEntries.Enqueue(TimeProvider.System.GetUtcNow());
            try
            {
                // Never answers; ends when the sender gives up and aborts the request.
                await _never.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return Results.Ok();
        });
        await _server.StartAsync();
        _port = new Uri(_server.Urls.Single()).Port;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task HangingEndpoint_DoesNotSlowAHealthyOne_AllHealthyDeliveriesArriveBeforeTheFirstTimeout()
    {
        var store = new ObservedStore(new InMemoryWebhookStore(TimeProvider.System));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWebhookSender(o =>
            {
                o.AttemptTimeout = AttemptTimeout;
                o.MaxConcurrentAttemptsPerEndpoint = PerEndpointLimit;
                o.RetryDelays = [TimeSpan.FromHours(1)];
                o.ShutdownTimeout = TimeSpan.FromSeconds(1);
                SenderHost.AllowLoopback(o);
            })
            .UseStore(_ => store)
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                ConnectCallback = LoopbackOnlyAsync,
            }));
        await using var provider = services.BuildServiceProvider();
        var dispatcher = provider.GetServices<IHostedService>().OfType<WebhookDispatcher>().Single();
        var subscriptions = provider.GetRequiredService<IWebhookSubscriptions>();
        var publisher = provider.GetRequiredService<IWebhookPublisher>();
        var hanging = await subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest($"http://127.0.0.1:{_port}/hanging"));
        var healthy = await subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest($"http://127.0.0.1:{_port}/healthy"));
        await dispatcher.StartAsync(CancellationToken.None);
        var started = TimeProvider.System.GetTimestamp();

        try
        {
            for (var i = 0; i < Messages; i++)
            {
                await publisher.PublishAsync(new OrderCreated(i));
            }

            // Outcomes in the order the store accepted them, up to the first one of the hanging endpoint.
            var healthyOutcomes = new List<WebhookDeliveryCompletion>();
            WebhookDeliveryCompletion firstHanging;
            while (true)
            {
                var completion = await store.NextCompletionAsync(TimeSpan.FromSeconds(30));
                if (completion.Attempt?.SubscriptionId == hanging.Id)
                {
                    firstHanging = completion;
                    break;
                }

                healthyOutcomes.Add(completion);
            }

            var firstTimeoutAt = TimeProvider.System.GetTimestamp();
            var healthyDoneAt = await _healthyDone.Task.WaitAsync(TimeSpan.FromSeconds(1));
            var hangingEnteredAt = await _hangingEntered.Task.WaitAsync(TimeSpan.FromSeconds(1));

            // Until the first hanging attempt ended no hanging slot was free, so the requests that had arrived by then
            // are the ones the per-endpoint cap let through at once.
            var firstEnded = firstHanging.Attempt!.StartedAt + firstHanging.Attempt.Duration;
            var hangingAtOnce = _hangingEntries.Count(t => t < firstEnded);

            output.WriteLine(
                $"healthy: {Messages} received after {TimeProvider.System.GetElapsedTime(started, healthyDoneAt).TotalMilliseconds:0} ms; " +
                $"first hanging attempt timed out after {TimeProvider.System.GetElapsedTime(started, firstTimeoutAt).TotalMilliseconds:0} ms; " +
                $"hanging endpoint held {hangingAtOnce} requests at once");
            healthyOutcomes.Should().HaveCount(Messages, "every healthy delivery was stored before the first hanging attempt ended");
            healthyOutcomes.Should().OnlyContain(c => c.Status == WebhookDeliveryStatus.Succeeded && c.Attempt!.SubscriptionId == healthy.Id);
            firstHanging.Attempt!.Error.Should().Be(WebhookAttemptError.Timeout);
            firstHanging.Status.Should().Be(WebhookDeliveryStatus.Pending);
            hangingEnteredAt.Should().BeLessThan(healthyDoneAt, "the hanging endpoint was being called while the healthy one was served");
            healthyDoneAt.Should().BeLessThan(firstTimeoutAt);
            TimeProvider.System.GetElapsedTime(started, healthyDoneAt).Should().BeLessThan(AttemptTimeout);
            hangingAtOnce.Should().BeInRange(1, PerEndpointLimit, "the hanging endpoint holds at most its own slots");
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
        }
    }

    private static async ValueTask<Stream> LoopbackOnlyAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var address = addresses.FirstOrDefault(IPAddress.IsLoopback) ?? throw new SocketException((int)SocketError.AccessDenied);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
