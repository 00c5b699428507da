using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Receiver;

namespace Webhooks.Testing.Tests;

/// <summary>Signed requests against the real receiver on TestServer: the happy path and each unhappy path.</summary>
public sealed class WebhookTestHttpClientExtensionsTests : IAsyncLifetime
{
    private const string GitHubSecret = "It's a Secret to Everybody";
    private readonly FakeTimeProvider _time = new(TestData.Start);
    private readonly ConcurrentQueue<string> _handled = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    private WebhookTestSigner Signer => WebhookTestSigner.StandardWebhooks(TestData.Secret).WithTimeProvider(_time);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddWebhookReceiver(o => o.Secrets.Add(TestData.Secret))
            .AddHandler<OrderCreated>((c, _) =>
            {
                _handled.Enqueue($"{c.MessageId}:{c.Data.OrderId}");
                return Task.CompletedTask;
            });
        builder.Services.AddWebhookReceiver("github", o => o.UseGitHub(GitHubSecret))
            .AddFallbackHandler((c, _) =>
            {
                _handled.Enqueue($"github:{c.EventType}:{c.MessageId}");
                return Task.CompletedTask;
            });
        _app = builder.Build();
        _app.MapWebhookReceiver("/webhooks");
        _app.MapWebhookReceiver("/hooks/github", "github");
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task PostWebhookAsync_TypedPayload_ReachesTheHandler()
    {
        using var response = await _client.PostWebhookAsync("/webhooks", new OrderCreated(42), Signer.WithMessageId("msg_typed"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _handled.Should().Equal("msg_typed:42");
    }

    [Fact]
    public async Task PostWebhookAsync_StaleTimestamp_IsRefused401()
    {
        using var response = await _client.PostWebhookAsync("/webhooks", new OrderCreated(1), Signer.WithStaleTimestamp());

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        _handled.Should().BeEmpty();
    }

    [Fact]
    public async Task PostWebhookAsync_WrongSignature_IsRefused401()
    {
        using var response = await _client.PostWebhookAsync("/webhooks", new OrderCreated(1), Signer.WithWrongSignature());

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PostWebhookAsync_MissingSignatureHeader_IsRefused400()
    {
        using var response = await _client.PostWebhookAsync("/webhooks", new OrderCreated(1), Signer.WithoutHeader("webhook-signature"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PostWebhookAsync_SameMessageIdTwice_HandledOnce()
    {
        var signer = Signer.WithMessageId("msg_replayed");

        using var first = await _client.PostWebhookAsync("/webhooks", new OrderCreated(7), signer);
        using var second = await _client.PostWebhookAsync("/webhooks", new OrderCreated(7), signer);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.IsSuccessStatusCode.Should().BeTrue();
        _handled.Should().Equal("msg_replayed:7");
    }

    [Fact]
    public async Task PostWebhookAsync_GitHubScheme_ReachesTheNamedReceiver()
    {
        var signer = WebhookTestSigner.GitHub(GitHubSecret).WithEventType("push").WithMessageId("d-1");

        using var response = await _client.PostWebhookAsync("/hooks/github", """{"ref":"refs/heads/main"}""", signer);
        using var wrong = await _client.PostWebhookAsync("/hooks/github", """{"ref":"refs/heads/main"}""", signer.WithWrongSignature().WithMessageId("d-2"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        _handled.Should().Equal("github:push:d-1");
    }
}
