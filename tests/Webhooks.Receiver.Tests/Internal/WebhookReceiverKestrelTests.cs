using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.Receiver.Tests.Internal;

/// <summary>The body limits over real HTTP: Kestrel on 127.0.0.1, port 0.</summary>
public sealed class WebhookReceiverKestrelTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private Uri _address = null!;
    private int _handled;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddWebhookReceiver(o =>
            {
                o.UseScheme(new TestScheme());
                o.MaxBodySize = 1024;
            })
            .AddHandler<OrderCreated>("order.created", (_, _) =>
            {
                Interlocked.Increment(ref _handled);
                return Task.CompletedTask;
            });
        _app = builder.Build();
        _app.MapWebhookReceiver("/webhooks");
        await _app.StartAsync();
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Post_ChunkedBodyOverTheLimit_413()
    {
        using var client = new HttpClient { BaseAddress = _address };
        using var request = TestScheme.Request("msg_1", "order.created", "{}");
        request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"orderId\":1,\"pad\":\"" + new string('x', 5000) + "\"}")));
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        _handled.Should().Be(0);
    }

    [Theory]
    [InlineData(1024, HttpStatusCode.OK)]
    [InlineData(1025, HttpStatusCode.RequestEntityTooLarge)]
    public async Task Post_ChunkedBodyInSmallChunks_ExactlyTheLimitAcceptedOneMore413(int size, HttpStatusCode expected)
    {
        using var client = new HttpClient { BaseAddress = _address };
        using var request = TestScheme.Request("msg_chunked_" + size, "order.created", "{}");
        var body = Encoding.UTF8.GetBytes("{\"orderId\":1,\"pad\":\"" + new string('x', size - 22) + "\"}");
        body.Length.Should().Be(size);

        // 64-byte chunks: the chunk framing (about 4 bytes a chunk) would push the server's own count past the limit.
        request.Content = new ChunkedContent(body, 64);
        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(expected);
        _handled.Should().Be(expected == HttpStatusCode.OK ? 1 : 0);
    }

    [Fact]
    public async Task Post_DeclaredLengthOverTheLimit_413()
    {
        using var client = new HttpClient { BaseAddress = _address };
        using var request = TestScheme.Request("msg_1", "order.created", "{\"orderId\":1,\"pad\":\"" + new string('x', 5000) + "\"}");

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        _handled.Should().Be(0);
    }

    [Fact]
    public async Task Post_ClientClosesBeforeTheDeclaredLength_NoHandlerAndServerStaysUp()
    {
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(IPAddress.Loopback, _address.Port);
            var head = "POST /webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n"
                + "x-test-id: msg_cut\r\nx-test-type: order.created\r\nx-test-signature: ok\r\n\r\n{\"orderId\":1";
            await socket.SendAsync(Encoding.ASCII.GetBytes(head));
            socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            string answer;
            try
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                answer = Encoding.ASCII.GetString(buffer, 0, read);
            }
            catch (SocketException)
            {
                answer = string.Empty; // Kestrel may reset a connection whose body ended early.
            }

            if (answer.Length > 0)
            {
                answer.Should().StartWith("HTTP/1.1 400");
            }
        }

        using var client = new HttpClient { BaseAddress = _address };
        var next = await client.SendAsync(TestScheme.Request("msg_after", "order.created", """{"orderId":2}"""));

        next.StatusCode.Should().Be(HttpStatusCode.OK);
        _handled.Should().Be(1, "only the complete request is handled");
    }

    /// <summary>A body of unknown length, written in fixed-size pieces: one chunk each.</summary>
    private sealed class ChunkedContent(byte[] body, int chunk) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var i = 0; i < body.Length; i += chunk)
            {
                await stream.WriteAsync(body.AsMemory(i, Math.Min(chunk, body.Length - i)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
