using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Webhooks.Sender.Security;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Security;

/// <summary>
/// End to end through <see cref="SocketsHttpHandler"/> against a Kestrel server on 127.0.0.1. Every connection goes
/// through <see cref="LoopbackOnlyConnector"/>, which records the target and refuses anything that is not loopback,
/// so even a broken guard cannot make these tests reach another address.
/// </summary>
public sealed class SsrfGuardConnectCallbackTests : IAsyncLifetime
{
    private readonly LoopbackOnlyConnector _connector = new();
    private readonly FakeResolver _resolver = new();
    private WebApplication _server = null!;
    private int _port;
    private int _requests;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.MapGet("/{**path}", (HttpContext context) =>
        {
            Interlocked.Increment(ref _requests);
            return context.Request.Host.Value;
        });
        await _server.StartAsync();
        _port = new Uri(_server.Urls.Single()).Port;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Connect_LoopbackLiteralByDefault_IsRefusedAsLoopback()
    {
        using var client = CreateClient(new WebhookSsrfOptions());

        var (thrown, blocked) = await SendBlockedAsync(client, $"http://127.0.0.1:{_port}/hooks?token=secret-value");

        blocked.Category.Should().Be(AddressCategory.Loopback);
        blocked.Address.Should().Be(IPAddress.Loopback);
        blocked.Host.Should().Be("127.0.0.1");
        blocked.Port.Should().Be(_port);
        thrown.ToString().Should().NotContain("secret-value").And.NotContain("/hooks");
    }

    [Fact]
    public async Task Connect_IPv6LoopbackLiteralByDefault_IsRefusedAsLoopback()
    {
        using var client = CreateClient(new WebhookSsrfOptions());

        var (_, blocked) = await SendBlockedAsync(client, $"http://[::1]:{_port}/");

        blocked.Address.Should().Be(IPAddress.IPv6Loopback);
    }

    [Fact]
    public async Task Connect_LoopbackInAllowedNetworks_ReachesTheServer()
    {
        using var client = CreateClient(SsrfTestOptions.Create(networks: ["127.0.0.0/8"]));

        var body = await client.GetStringAsync(new Uri($"http://127.0.0.1:{_port}/"));

        body.Should().Be($"127.0.0.1:{_port}");
        _connector.Attempts.Should().Equal(new IPEndPoint(IPAddress.Loopback, _port));
    }

    [Fact]
    public async Task Connect_OtherNetworkAllowed_StillRefusesLoopback()
    {
        using var client = CreateClient(SsrfTestOptions.Create(networks: ["127.0.0.2/32", "::1"]));

        var (_, blocked) = await SendBlockedAsync(client, $"http://127.0.0.1:{_port}/");

        blocked.Category.Should().Be(AddressCategory.Loopback);
    }

    [Fact]
    public async Task Connect_HostInAllowedHosts_ReachesTheServer()
    {
        _resolver.Map("svc.test", IPAddress.Loopback);
        using var client = CreateClient(SsrfTestOptions.Create(hosts: ["svc.test"]));

        var body = await client.GetStringAsync(new Uri($"http://svc.test:{_port}/"));

        body.Should().Be($"svc.test:{_port}");
    }

    [Fact]
    public async Task Connect_WildcardHostAllowed_ReachesTheServerForASubdomainOnly()
    {
        _resolver.Map("a.svc.test", IPAddress.Loopback);
        _resolver.Map("svc.test", IPAddress.Loopback);
        using var client = CreateClient(SsrfTestOptions.Create(hosts: ["*.svc.test"]));

        var (_, blocked) = await SendBlockedAsync(client, $"http://svc.test:{_port}/");
        var body = await client.GetStringAsync(new Uri($"http://a.svc.test:{_port}/"));

        body.Should().Be($"a.svc.test:{_port}");
        blocked.Host.Should().Be("svc.test");
    }

    [Fact]
    public async Task Connect_NameResolvingToAnAllowedAndADisallowedAddress_IsRefusedWithoutConnecting()
    {
        // Loopback addresses only: 127.0.0.2 is allowed, 127.0.0.1 is not, so one bad address refuses the whole answer.
        _resolver.Map("rebind.test", IPAddress.Parse("127.0.0.2"), IPAddress.Loopback);
        using var client = CreateClient(SsrfTestOptions.Create(networks: ["127.0.0.2/32"]));

        var (_, blocked) = await SendBlockedAsync(client, $"http://rebind.test:{_port}/");

        blocked.Host.Should().Be("rebind.test");
        blocked.Address.Should().Be(IPAddress.Loopback);
    }

    [Fact]
    public async Task Connect_AllowedName_ConnectsToTheCheckedAddressWithOneResolution()
    {
        _resolver.Map("svc.test", IPAddress.Loopback);
        using var client = CreateClient(SsrfTestOptions.Create(networks: ["127.0.0.0/8"]));

        var body = await client.GetStringAsync(new Uri($"http://svc.test:{_port}/path"));

        body.Should().Be($"svc.test:{_port}");
        _resolver.Calls.Should().Equal("svc.test");
        _connector.Attempts.Should().Equal(new IPEndPoint(IPAddress.Loopback, _port));
    }

    [Fact]
    public async Task Connect_ResolverAnswerChangesAfterTheCheck_SecondAnswerIsNeverUsed()
    {
        // A rebinding resolver: the first answer is allowed, every later one is not. A guard that resolved again
        // before connecting would use the second answer and be refused.
        // Both answers are loopback (tests never name another address); only the first is on the allow-list.
        _resolver.MapSequence("flip.test", [IPAddress.Loopback], [IPAddress.Parse("127.0.0.2")]);
        using var client = CreateClient(SsrfTestOptions.Create(networks: ["127.0.0.1/32"]));

        var body = await client.GetStringAsync(new Uri($"http://flip.test:{_port}/"));

        body.Should().Be($"flip.test:{_port}");
        _resolver.Calls.Should().HaveCount(1);
    }

    [Fact]
    public async Task Connect_FirstCheckedAddressRefusesConnection_FallsBackToTheNext()
    {
        // Kestrel listens on 127.0.0.1 only, so 127.0.0.2 (still loopback) refuses the connection.
        _resolver.Map("multi.test", IPAddress.Parse("127.0.0.2"), IPAddress.Loopback);
        using var client = CreateClient(SsrfTestOptions.Create(networks: ["127.0.0.0/8"]));

        var body = await client.GetStringAsync(new Uri($"http://multi.test:{_port}/"));

        body.Should().Be($"multi.test:{_port}");
        _connector.Attempts.Should().Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), _port), new IPEndPoint(IPAddress.Loopback, _port));
    }

    [Fact]
    public async Task Connect_EveryCheckedAddressRefusesConnection_ThrowsTheSocketErrorNotABlock()
    {
        _resolver.Map("down.test", IPAddress.Parse("127.0.0.2"));
        using var client = CreateClient(SsrfTestOptions.Create(networks: ["127.0.0.0/8"]));

        var act = () => client.GetStringAsync(new Uri($"http://down.test:{_port}/"));

        var thrown = (await act.Should().ThrowAsync<HttpRequestException>()).Which;
        thrown.InnerException.Should().BeOfType<SocketException>();
        SsrfGuard.IsBlockedByPolicy(thrown, out _).Should().BeFalse();
    }

    [Fact]
    public async Task Connect_IPv4MappedLoopbackAllowedByIPv4Network_ConnectsOverIPv4()
    {
        _resolver.Map("mapped.test", IPAddress.Parse("::ffff:127.0.0.1"));
        using var client = CreateClient(SsrfTestOptions.Create(networks: ["127.0.0.0/8"]));

        var body = await client.GetStringAsync(new Uri($"http://mapped.test:{_port}/"));

        body.Should().Be($"mapped.test:{_port}");
        _connector.Attempts.Should().Equal(new IPEndPoint(IPAddress.Loopback, _port));
    }

    [Fact]
    public async Task Connect_IPv4MappedLoopbackByDefault_IsRefusedAsLoopback()
    {
        _resolver.Map("mapped.test", IPAddress.Parse("::ffff:127.0.0.1"));
        using var client = CreateClient(new WebhookSsrfOptions());

        var (_, blocked) = await SendBlockedAsync(client, $"http://mapped.test:{_port}/");

        blocked.Category.Should().Be(AddressCategory.Loopback);
    }

    [Fact]
    public async Task Connect_UnknownName_FailsAsDnsErrorNotABlock()
    {
        using var client = CreateClient(new WebhookSsrfOptions());

        var act = () => client.GetStringAsync(new Uri($"http://missing.test:{_port}/"));

        var thrown = (await act.Should().ThrowAsync<HttpRequestException>()).Which;
        thrown.InnerException.Should().BeOfType<SocketException>().Which.SocketErrorCode.Should().Be(SocketError.HostNotFound);
        SsrfGuard.IsBlockedByPolicy(thrown, out _).Should().BeFalse();
    }

    [Fact]
    public async Task Connect_ResolverReturnsNoAddress_FailsAsHostNotFound()
    {
        _resolver.Map("empty.test");
        using var client = CreateClient(new WebhookSsrfOptions());

        var act = () => client.GetStringAsync(new Uri($"http://empty.test:{_port}/"));

        (await act.Should().ThrowAsync<HttpRequestException>()).Which.InnerException
            .Should().BeOfType<SocketException>().Which.SocketErrorCode.Should().Be(SocketError.HostNotFound);
    }

    [Fact]
    public async Task Connect_LocalhostWithRealResolverAndHostAllowed_ReachesTheServer()
    {
        // The only test that uses the system resolver: "localhost" never leaves the machine.
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false };
        SsrfGuard.Configure(handler, SsrfTestOptions.Create(hosts: ["localhost"]), blockedLog: null, resolver: null, _connector.ConnectAsync);
        using var client = new HttpClient(handler);

        var body = await client.GetStringAsync(new Uri($"http://localhost:{_port}/"));

        body.Should().Be($"localhost:{_port}");
        _connector.Attempts.Should().OnlyContain(endPoint => IPAddress.IsLoopback(endPoint.Address));
    }

    [Fact]
    public async Task Connect_DefaultSocketConnector_ReachesAllowedLoopbackLiteral()
    {
        // The production connector (a plain socket), used here against 127.0.0.1 only.
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false };
        SsrfGuard.Configure(handler, SsrfTestOptions.Create(networks: ["127.0.0.1"]), blockedLog: null, _resolver.ResolveAsync);
        using var client = new HttpClient(handler);

        var body = await client.GetStringAsync(new Uri($"http://127.0.0.1:{_port}/"));

        body.Should().Be($"127.0.0.1:{_port}");
        _resolver.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task Connect_RefusedRepeatedly_LogsOncePerEndpoint()
    {
        var logger = new FakeLogger<SsrfBlockedLog>();
        var blockedLog = new SsrfBlockedLog(logger);
        using var client = CreateClient(new WebhookSsrfOptions(), blockedLog);
        var url = new Uri($"http://127.0.0.1:{_port}/");

        for (var i = 0; i < 3; i++)
        {
            await SendRefusedAsync(client, url, endpoint: "sub_1");
        }

        await SendRefusedAsync(client, url, endpoint: "sub_2");
        await SendRefusedAsync(client, url, endpoint: null);
        await SendRefusedAsync(client, url, endpoint: null);

        var records = logger.Collector.GetSnapshot();
        records.Should().HaveCount(3);
        records.Should().OnlyContain(r => r.Level == LogLevel.Warning && r.Id.Id == 3000);
        records.Select(r => r.StructuredState!.Single(kv => kv.Key == "Endpoint").Value)
            .Should().Equal("sub_1", "sub_2", $"127.0.0.1:{_port}");
        records[0].Message.Should().Contain("a loopback address");
    }

    /// <summary>Sends a request that the guard must refuse before any connection is attempted.</summary>
    private async Task<(HttpRequestException Thrown, WebhookSsrfBlockedException Blocked)> SendBlockedAsync(HttpClient client, string url)
    {
        var act = () => client.GetStringAsync(new Uri(url));

        var thrown = (await act.Should().ThrowAsync<HttpRequestException>()).Which;
        SsrfGuard.IsBlockedByPolicy(thrown, out var blocked).Should().BeTrue();
        _connector.Attempts.Should().BeEmpty();
        _requests.Should().Be(0);
        return (thrown, blocked!);
    }

    private static async Task SendRefusedAsync(HttpClient client, Uri url, string? endpoint)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (endpoint is not null)
        {
            request.Options.Set(SsrfGuard.EndpointOption, endpoint);
        }

        var act = () => client.SendAsync(request);
        await act.Should().ThrowAsync<HttpRequestException>();
    }

    private HttpClient CreateClient(WebhookSsrfOptions options, SsrfBlockedLog? blockedLog = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero };
        SsrfGuard.Configure(handler, options, blockedLog, _resolver.ResolveAsync, _connector.ConnectAsync);
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Answers only the names a test mapped; anything else is "host not found". Never asks real DNS.</summary>
    private sealed class FakeResolver
    {
        private readonly ConcurrentDictionary<string, Queue<IPAddress[]>> _answers = new(StringComparer.OrdinalIgnoreCase);

        public ConcurrentQueue<string> Calls { get; } = new();

        public void Map(string host, params IPAddress[] addresses) => MapSequence(host, addresses);

        public void MapSequence(string host, params IPAddress[][] answers) => _answers[host] = new Queue<IPAddress[]>(answers);

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Calls.Enqueue(host);
            if (!_answers.TryGetValue(host, out var answers))
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }

            lock (answers)
            {
                return Task.FromResult(answers.Count > 1 ? answers.Dequeue() : answers.Peek());
            }
        }
    }

    /// <summary>Records every connection target and refuses, as a socket error, any that is not loopback.</summary>
    private sealed class LoopbackOnlyConnector
    {
        private readonly ConcurrentQueue<IPEndPoint> _attempts = new();

        public IReadOnlyList<IPEndPoint> Attempts => [.. _attempts];

        public async ValueTask<Stream> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
        {
            _attempts.Enqueue(endPoint);
            if (!IPAddress.IsLoopback(endPoint.Address))
            {
                throw new SocketException((int)SocketError.AccessDenied);
            }

            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }
}
