using System.Net;
using System.Text.RegularExpressions;
using Webhooks.Core;
using Webhooks.Testing;

namespace Webhooks.Cli.Tests;

/// <summary><c>webhooks listen</c> run in process on 127.0.0.1, port 0, stopped by its cancellation token.</summary>
public sealed partial class ListenCommandTests
{
    [Fact]
    public async Task Listen_PrintsVerifiedRequests_AndRefusesBadSignatures401()
    {
        var secret = WebhookSecret.Generate();
        await using var listener = await Listener.StartAsync("--secret", secret.RevealEncoded());
        using var client = new HttpClient();
        var signer = WebhookTestSigner.StandardWebhooks(secret);

        using var good = await client.PostWebhookAsync(listener.Url + "hooks", """{"type":"order.created","timestamp":"2026-01-01T00:00:00Z","data":{"orderId":42}}""", signer.WithMessageId("msg_good"));
        using var bad = await client.PostWebhookAsync(listener.Url + "hooks", """{"type":"order.created"}""", signer.WithWrongSignature().WithMessageId("msg_bad"));
        var output = await listener.Output.WaitForAsync("answered", 2);

        good.StatusCode.Should().Be(HttpStatusCode.OK);
        bad.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        output.Should().Contain("POST /hooks").And.Contain(": verified").And.Contain("type: order.created  id: msg_good")
            .And.Contain("\"orderId\": 42")
            .And.Contain("NOT verified: no signature matches").And.Contain("answered 401");
    }

    [Fact]
    public async Task Listen_ForwardTo_SendsTheSameSignedRequestOn_AndAnswersWithTheForwardsAnswer()
    {
        await using var app = await WebhookTestEndpoint.StartAsync();
        app.FailFirst(1, HttpStatusCode.ServiceUnavailable);
        await using var listener = await Listener.StartAsync("--secret", app.Secret.RevealEncoded(), "--forward-to", app.Url.ToString());
        using var client = new HttpClient();
        var signer = WebhookTestSigner.StandardWebhooks(app.Secret).WithMessageId("msg_fwd");

        using var first = await client.PostWebhookAsync(listener.Url + "webhooks", """{"type":"order.created","data":{}}""", signer);
        using var retry = await client.PostWebhookAsync(listener.Url + "webhooks", """{"type":"order.created","data":{}}""", signer);
        var output = await listener.Output.WaitForAsync("forwarded to", 2);

        first.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        retry.StatusCode.Should().Be(HttpStatusCode.OK);
        app.Deliveries.Should().HaveCount(2).And.OnlyContain(d => d.Verified && d.MessageId == "msg_fwd");
        output.Should().Contain($"forwarded to {app.Url}: 503").And.Contain($"forwarded to {app.Url}: 200");
    }

    [Fact]
    public async Task Listen_WithoutSecret_AcceptsAndSaysNothingWasVerified_GitHubScheme()
    {
        await using var listener = await Listener.StartAsync("--scheme", "github");
        using var client = new HttpClient();

        using var response = await client.PostWebhookAsync(listener.Url, """{"zen":"Keep it logically awesome."}""", WebhookTestSigner.GitHub("s").WithEventType("ping").WithMessageId("d-1"));
        var output = await listener.Output.WaitForAsync("answered");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        output.Should().Contain("not verified (no --secret)").And.Contain("type: ping  id: d-1");
    }

    [Fact]
    public async Task Listen_BadArguments_Exit2()
    {
        (await Cli.RunAsync("listen")).Err.Should().Contain("--port is required");
        (await Cli.RunAsync("listen", "--port", "0", "--host", "localhost")).Err.Should().Contain("--host must be an IP address");
        (await Cli.RunAsync("listen", "--port", "0", "--forward-to", "file:///etc/passwd")).Err.Should().Contain("--forward-to must be an absolute http");
        (await Cli.RunAsync("listen", "--port", "70000")).ExitCode.Should().Be(2);
    }

    [GeneratedRegex(@"Listening on (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();

    /// <summary>The listener running in process until disposed.</summary>
    private sealed class Listener : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task<int> _run = null!;

        public WatchedWriter Output { get; } = new();

        public string Url { get; private set; } = null!;

        public static async Task<Listener> StartAsync(params string[] args)
        {
            var listener = new Listener();
            listener._run = Program.RunAsync(["listen", "--port", "0", .. args], listener.Output, listener.Output, null, listener._stop.Token);
            var started = await Task.WhenAny(listener.Output.WaitForAsync("Listening on"), listener._run);
            started.Should().NotBe(listener._run, listener.Output.Text);
            listener.Url = ListeningOn().Match(listener.Output.Text).Groups["url"].Value + "/";
            return listener;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            (await _run.WaitAsync(TimeSpan.FromSeconds(60))).Should().Be(0);
            Output.Text.Should().EndWith("Stopped." + Environment.NewLine);
            _stop.Dispose();
        }
    }
}
