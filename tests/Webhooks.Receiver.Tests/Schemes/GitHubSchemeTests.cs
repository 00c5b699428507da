using System.Net;
using System.Text;
using System.Text.Json.Serialization;
using Webhooks.Core.Schemes;

namespace Webhooks.Receiver.Tests.Schemes;

public sealed class GitHubSchemeTests
{
    private const string DocsSecret = "It's a Secret to Everybody";
    private const string DocsSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public async Task Post_GitHubDocsExample_VerifiesThenRefusesTheNonJsonBody()
    {
        await using var host = await StartAsync(DocsSecret);

        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/github", "Hello, World!", "text/plain",
            ("X-Hub-Signature-256", DocsSignature), ("X-GitHub-Event", "ping"), ("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")));

        // The signature verifies (not 401); GitHub's test vector is not JSON, which every payload must be (400).
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("not valid JSON");
        host.Calls.Count.Should().Be(0);
    }

    [Fact]
    public async Task Post_GitHubDocsExampleWithAnotherSecret_401()
    {
        await using var host = await StartAsync("another secret");

        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/github", "Hello, World!", "text/plain",
            ("X-Hub-Signature-256", DocsSignature), ("X-GitHub-Event", "ping"), ("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Post_RealPullRequestPayload_SignedByOurGitHubSigner_ReachesTypedHandler()
    {
        const string secret = "gh-webhook-secret";
        await using var host = await StartAsync(secret);
        var body = ProviderRequests.ReadData("github-pull_request-opened.json");

        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/github", body, "application/json",
            (GitHubWebhookSignature.SignatureHeader, GitHubWebhookSignature.Sign(secret, Encoding.UTF8.GetBytes(body))),
            (GitHubWebhookSignature.EventHeader, "pull_request"),
            (GitHubWebhookSignature.DeliveryHeader, "d2f1c7a0-0000-11f0-8000-000000000001")));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var call = host.Calls.All.Should().ContainSingle().Subject;
        call.ReceiverName.Should().Be("github");
        call.EventType.Should().Be("pull_request");
        call.MessageId.Should().Be("d2f1c7a0-0000-11f0-8000-000000000001");
        var data = call.Data.Should().BeOfType<PullRequestEvent>().Subject;
        data.Action.Should().Be("opened");
        data.Number.Should().Be(2);
        data.PullRequest.Title.Should().Be("Update the README with new information.");
        data.Repository.FullName.Should().Be("Codertocat/Hello-World");
    }

    [Fact]
    public async Task Post_FormEncodedWebhook_PayloadFieldReachesTypedHandler()
    {
        const string secret = "gh-webhook-secret";
        await using var host = await StartAsync(secret);
        var body = "payload=" + Uri.EscapeDataString(ProviderRequests.ReadData("github-pull_request-opened.json"));

        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/github", body, "application/x-www-form-urlencoded",
            ("X-Hub-Signature-256", "sha256=" + ProviderRequests.HmacHex(secret, body)), ("X-GitHub-Event", "pull_request"), ("X-GitHub-Delivery", "form-delivery")));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.All.Should().ContainSingle().Which.Data.Should().BeOfType<PullRequestEvent>().Which.Number.Should().Be(2);
    }

    [Fact]
    public async Task Post_RedeliveredPullRequest_HandledOnce()
    {
        const string secret = "gh-webhook-secret";
        await using var host = await StartAsync(secret);
        var body = ProviderRequests.ReadData("github-pull_request-opened.json");
        var signature = ProviderRequests.HmacHex(secret, body);

        for (var i = 0; i < 2; i++)
        {
            var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/github", body, "application/json",
                ("X-Hub-Signature-256", "sha256=" + signature), ("X-GitHub-Event", "pull_request"), ("X-GitHub-Delivery", "same-delivery")));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        host.Calls.Count.Should().Be(1);
    }

    [Theory]
    [InlineData(null, "pull_request", "d1", 400)]
    [InlineData("sha256=00", null, "d1", 400)]
    [InlineData("sha256=00", "pull_request", null, 400)]
    [InlineData("sha256=00", "pull request", "d1", 400)]
    [InlineData("sha256=00", "pull_request", "d\u00e9", 400)]
    [InlineData("sha256=00", "pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_pull_request_x", "d1", 400)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000", "pull_request", "d1", 401)]
    public async Task Post_BadHeaders_RejectedWithoutHandler(string? signature, string? eventType, string? delivery, int expected)
    {
        await using var host = await StartAsync("secret");
        var headers = new List<(string, string)>();
        if (signature is not null) headers.Add(("X-Hub-Signature-256", signature));
        if (eventType is not null) headers.Add(("X-GitHub-Event", eventType));
        if (delivery is not null) headers.Add(("X-GitHub-Delivery", delivery));

        var response = await host.Client.SendAsync(ProviderRequests.Post("/hooks/github", "{}", "application/json", [.. headers]));

        ((int)response.StatusCode).Should().Be(expected);
        host.Calls.Count.Should().Be(0);
    }

    private static Task<ReceiverHost> StartAsync(string secret) =>
        ReceiverHost.StartAsync(
            services => services.AddWebhookReceiver("github", o => o.UseGitHub(secret))
                .AddHandler<PullRequestEvent>("pull_request", (ctx, _) =>
                {
                    ((HandlerCalls)ctx.Services.GetService(typeof(HandlerCalls))!).Add("pr", ctx, ctx.Data);
                    return Task.CompletedTask;
                }),
            app => app.MapWebhookReceiver("/hooks/github", "github"));

    public sealed record PullRequestEvent(string Action, int Number, [property: JsonPropertyName("pull_request")] PullRequest PullRequest, Repository Repository);

    public sealed record PullRequest(string Title);

    public sealed record Repository([property: JsonPropertyName("full_name")] string FullName);
}
