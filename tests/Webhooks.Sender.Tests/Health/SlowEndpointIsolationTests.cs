using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.Delivery;
using Webhooks.Sender;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Health;

/// <summary>
/// One healthy and one hanging endpoint on a real Kestrel server on 127.0.0.1, the real dispatcher and HTTP stack, and
/// a fake clock: the hanging attempts time out only when the test advances it, so "before the first timeout" is a
/// state the test holds, not a race against the wall clock. Every connection goes through a connector that refuses
/// anything but loopback.
/// </summary>
public sealed class SlowEndpointIsolationTests : IAsyncLifetime
{
    private const int Messages = 50;
    private const int PerEndpointLimit = 4;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource _healthyDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _hangingFull = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _server = null!;
    private int _healthyCount;
    private int _hangingCount;
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
                _healthyDone.TrySetResult();
            }

            return Results.NoContent();
        });
        _server.MapPost("/hanging", async (HttpContext context) =>
        {
            if (Interlocked.Increment(ref _hangingCount) == PerEndpointLimit)
            {
                _hangingFull.TrySetResult();
            }

            try
            {
                // Answers only when the test lets it; otherwise ends when the sender gives up and aborts the request.
                await _release.Task.WaitAsync(context.RequestAborted);
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
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var store = new ObservedStore(new InMemoryWebhookStore(time));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
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

        try
        {
            for (var i = 0; i < Messages; i++)
            {
                await publisher.PublishAsync(new OrderCreated(i));
            }

            // The clock stands still, so no hanging attempt can time out: every healthy delivery must get through
            // while the hanging endpoint holds its slots.
            await _hangingFull.Task.WaitAsync(SafetyNet);
            await _healthyDone.Task.WaitAsync(SafetyNet);
            var healthyOutcomes = await store.CompletionsAsync(Messages, SafetyNet);

            healthyOutcomes.Should().OnlyContain(c => c.Status == WebhookDeliveryStatus.Succeeded && c.Attempt!.SubscriptionId == healthy.Id);
            Volatile.Read(ref _hangingCount).Should().Be(PerEndpointLimit, "the hanging endpoint holds at most its own slots, and none has been freed");
            store.TryTakeCompletion(out _).Should().BeFalse("no hanging attempt has ended");

            time.Advance(AttemptTimeout);
            var firstHanging = await store.NextCompletionAsync(SafetyNet);

            firstHanging.Attempt!.SubscriptionId.Should().Be(hanging.Id);
            firstHanging.Attempt.Error.Should().Be(WebhookAttemptError.Timeout);
            firstHanging.Status.Should().Be(WebhookDeliveryStatus.Pending);
        }
        finally
        {
            // Let the attempts still running answer, so shutdown does not wait on the fake clock.
            _release.TrySetResult();
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
