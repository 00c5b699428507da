using System.Net;
using System.Text.Json;
using Webhooks.Testing;

namespace Webhooks.Cli.Tests;

/// <summary><c>webhooks send</c> against the loopback test endpoint of Webhooks.Testing.</summary>
public sealed class SendCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Send_Standard_WrapsTheBodyInTheEnvelope_SignsIt_AndPrintsTheAnswer()
    {
        await using var endpoint = await WebhookTestEndpoint.StartAsync();

        var result = await Cli.RunAsync("send", endpoint.Url.ToString(), "--secret", endpoint.Secret.RevealEncoded(), "--event", "order.created",
            "--body-file", Cli.BodyFile("""{"orderId": 42}""", _folder), "--id", "msg_cli");

        result.ExitCode.Should().Be(0, result.Err);
        result.Lines[0].Should().MatchRegex(@"^200 OK in \d+ ms$");
        result.Lines.Should().Contain("id: msg_cli");
        var delivery = endpoint.Deliveries.Should().ContainSingle().Subject;
        delivery.Verified.Should().BeTrue();
        delivery.MessageId.Should().Be("msg_cli");
        delivery.EventType.Should().Be("order.created");
        using var json = JsonDocument.Parse(delivery.Body);
        json.RootElement.GetProperty("data").GetProperty("orderId").GetInt32().Should().Be(42);
    }

    [Fact]
    public async Task Send_Raw_SendsTheFileAsItIs()
    {
        await using var endpoint = await WebhookTestEndpoint.StartAsync();
        const string envelope = """{"type":"order.created","timestamp":"2026-01-01T00:00:00Z","data":{}}""";

        var result = await Cli.RunAsync("send", endpoint.Url.ToString(), "--secret", endpoint.Secret.RevealEncoded(), "--event", "order.created", "--raw", "--body-file", Cli.BodyFile(envelope, _folder));

        result.ExitCode.Should().Be(0);
        endpoint.Deliveries.Single().BodyText.Should().Be(envelope);
    }

    [Fact]
    public async Task Send_ErrorAnswer_Exit1_AndPrintsStatusAndResponse()
    {
        await using var endpoint = await WebhookTestEndpoint.StartAsync();
        endpoint.RespondWith(HttpStatusCode.ServiceUnavailable);

        var result = await Cli.RunAsync("send", endpoint.Url.ToString(), "--secret", endpoint.Secret.RevealEncoded(), "--event", "order.created", "--body-file", Cli.BodyFile("{}", _folder));

        result.ExitCode.Should().Be(1);
        result.Lines[0].Should().StartWith("503 Service Unavailable in ");
    }

    [Fact]
    public async Task Send_WrongSecret_TheEndpointRefuses401_Exit1()
    {
        await using var endpoint = await WebhookTestEndpoint.StartAsync();

        var result = await Cli.RunAsync("send", endpoint.Url.ToString(), "--secret", Core.WebhookSecret.Generate().RevealEncoded(), "--event", "order.created", "--body-file", Cli.BodyFile("{}", _folder));

        result.ExitCode.Should().Be(1);
        result.Lines[0].Should().StartWith("401 Unauthorized");
    }

    [Fact]
    public async Task Send_NobodyListening_Exit1_SaysItCouldNotConnect()
    {
        Uri url;
        await using (var endpoint = await WebhookTestEndpoint.StartAsync())
        {
            url = endpoint.Url;
        }

        var result = await Cli.RunAsync("send", url.ToString(), "--secret", Cli.Secret, "--event", "order.created", "--body-file", Cli.BodyFile("{}", _folder));

        result.ExitCode.Should().Be(1);
        result.Err.Should().Contain("could not be reached");
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/x", "URL must be an absolute http:// or https:// address")]
    [InlineData("/relative", "URL must be an absolute http:// or https:// address")]
    public async Task Send_BadUrl_Exit2(string url, string message)
    {
        var result = await Cli.RunAsync("send", url, "--secret", Cli.Secret, "--event", "order.created", "--body-file", Cli.BodyFile("{}", _folder));

        result.ExitCode.Should().Be(2);
        result.Err.Should().Contain(message);
    }

    [Fact]
    public async Task Send_NotJsonWithoutRaw_Exit2_SuggestsRaw()
    {
        var result = await Cli.RunAsync("send", "http://127.0.0.1:9/x", "--secret", Cli.Secret, "--event", "order.created", "--body-file", Cli.BodyFile("not json", _folder));

        result.ExitCode.Should().Be(2);
        result.Err.Should().Contain("--body-file is not JSON").And.Contain("--raw");
    }

    [Fact]
    public async Task Send_MissingEvent_Exit2()
    {
        var result = await Cli.RunAsync("send", "http://127.0.0.1:9/x", "--secret", Cli.Secret, "--body-file", "x");

        result.ExitCode.Should().Be(2);
        result.Err.Should().Contain("--event is required");
    }
}
