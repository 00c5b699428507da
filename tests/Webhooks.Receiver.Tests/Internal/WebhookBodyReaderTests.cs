using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver.Tests.Internal;

/// <summary>What a request holds while its body arrives: memory that follows the bytes received, and a time limit.</summary>
public sealed class WebhookBodyReaderTests
{
    private const int Connections = 64;

    [Fact]
    public async Task Read_ManyConnectionsAnnouncingTheMaximumAndSendingOneByte_HoldTheInitialBufferEachAtMost()
    {
        var pool = new CountingArrayPool();
        var handled = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new WebhookBodyPool(pool));
        builder.Services.AddWebhookReceiver(o => o.UseScheme(new TestScheme())) // MaxBodySize: the default 1 MiB
            .AddHandler<OrderCreated>("order.created", (_, _) =>
            {
                Interlocked.Increment(ref handled);
                return Task.CompletedTask;
            });
        await using var app = builder.Build();
        app.MapWebhookReceiver("/webhooks");
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var sockets = new List<Socket>();
        try
        {
            // Each announces the whole limit and sends one byte of it, then holds the connection open.
            var head = "POST /webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + $"Content-Length: {WebhookReceiverOptions.DefaultMaxBodySize}\r\n"
                + "x-test-id: msg_slow\r\nx-test-type: order.created\r\nx-test-signature: ok\r\n\r\n{";
            for (var i = 0; i < Connections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, address.Port);
                await socket.SendAsync(Encoding.ASCII.GetBytes(head));
            }

            // Every request has reached the reader and rented its buffer.
            await pool.RentedAsync(Connections).WaitAsync(TimeSpan.FromSeconds(60));
            var held = pool.OutstandingBytes;

            using var client = new HttpClient { BaseAddress = address };
            var response = await client.SendAsync(TestScheme.Request("msg_fine", "order.created", """{"orderId":1}"""));

            response.StatusCode.Should().Be(HttpStatusCode.OK, "the receiver still answers genuine requests");
            handled.Should().Be(1);
            pool.LargestRent.Should().BeLessThanOrEqualTo(WebhookBodyReader.InitialSize, "no buffer is sized by the announced length");
            held.Should().BeLessThanOrEqualTo((long)Connections * WebhookBodyReader.InitialSize);
            pool.PeakOutstandingBytes.Should().BeLessThanOrEqualTo((long)(Connections + 1) * WebhookBodyReader.InitialSize);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }

        // The abandoned requests give their buffers back.
        await pool.AllReturnedAsync().WaitAsync(TimeSpan.FromSeconds(60));
        pool.OutstandingBytes.Should().Be(0);
    }

    [Fact]
    public async Task Read_BodySlowerThanBodyReadTimeout_408AndTheBufferReturned()
    {
        var pool = new CountingArrayPool();
        await using var host = await ReceiverHost.StartAsync(services =>
        {
            services.AddSingleton(new WebhookBodyPool(pool));
            services.AddWebhookReceiver(o =>
                {
                    o.UseScheme(new TestScheme());
                    o.BodyReadTimeout = TimeSpan.FromSeconds(10);
                })
                .AddHandler<OrderCreated, RecordingOrderHandler>("order.created");
        });
        var body = new StallingStream("{\"orderId\""u8.ToArray());

        var sending = host.SendAsync(context =>
        {
            context.Request.Headers[TestScheme.IdHeader] = "msg_slow";
            context.Request.Headers[TestScheme.TypeHeader] = "order.created";
            context.Request.Headers[TestScheme.SignatureHeader] = "ok";
            context.Request.ContentLength = 100;
            context.Request.Body = body;
        });
        await body.Stalled.WaitAsync(TimeSpan.FromSeconds(30));
        host.Time.Advance(TimeSpan.FromSeconds(9));
        var beforeTheLimit = sending.IsCompleted;
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var context = await sending.WaitAsync(TimeSpan.FromSeconds(30));

        beforeTheLimit.Should().BeFalse();
        context.Response.StatusCode.Should().Be(StatusCodes.Status408RequestTimeout);
        host.Calls.Count.Should().Be(0);
        pool.OutstandingBytes.Should().Be(0);
    }

    [Fact]
    public async Task Read_BodyGrowsPastTheInitialBuffer_BufferDoublesAndTheWholeBodyArrives()
    {
        var pool = new CountingArrayPool();
        var seen = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await ReceiverHost.StartAsync(services =>
        {
            services.AddSingleton(new WebhookBodyPool(pool));
            services.AddWebhookReceiver(o => o.UseScheme(new TestScheme()))
                .AddHandler<OrderCreated>("order.created", (ctx, _) =>
                {
                    seen.TrySetResult(ctx.RawBody.Length);
                    return Task.CompletedTask;
                });
        });
        var json = Encoding.UTF8.GetBytes("{\"orderId\":1,\"pad\":\"" + new string('x', 20_000) + "\"}");

        var response = await host.Client.SendAsync(TestScheme.Request("msg_big", "order.created", Encoding.UTF8.GetString(json)));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await seen.Task.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(json.Length);
        pool.LargestRent.Should().Be(32 * 1024, "4 KiB doubled to the first size that holds 20 KB");
        pool.OutstandingBytes.Should().Be(0);
    }

    /// <summary>A body that sends a few bytes, then waits until the read is cancelled.</summary>
    private sealed class StallingStream(byte[] first) : Stream
    {
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _sent;

        public Task Stalled => _stalled.Task;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_sent)
            {
                _sent = true;
                first.CopyTo(buffer);
                return first.Length;
            }

            _stalled.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
