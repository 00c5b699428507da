using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Webhooks.Samples.Sender;

namespace Webhooks.Samples.Tests;

/// <summary>The sender sample hosts the management API and its OpenAPI document, on a SQLite file, with the dispatcher off.</summary>
public sealed class SenderSampleTests : IAsyncLifetime
{
    private const string Api = SenderApp.ApiPrefix;
    private readonly string _directory = Directory.CreateTempSubdirectory("webhooks-sender-sample-").FullName;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = SenderApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration["ConnectionStrings:Webhooks"] = $"Data Source={Path.Combine(_directory, "sender.db")}";
            builder.Configuration["Webhooks:Sender:DispatcherEnabled"] = "false";
        });
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("""{"url":"not a url"}""", "$.url")]
    [InlineData("""{"url":"ftp://example.com/hooks"}""", "$.url")]
    [InlineData("""{"url":"https://example.com/hooks","eventTypes":["order..x"]}""", "$.eventTypes")]
    [InlineData("""{"url":"https://example.com/hooks","secret":"whsec_nope"}""", "$.secret")]
    [InlineData("""{"url":"https://example.com/hooks","colour":"red"}""", "$.colour")]
    public async Task CreateEndpoint_BadInput_Returns400NamingTheField(string body, string field)
    {
        using var response = await _client.PostAsync(new Uri($"{Api}/endpoints", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue(problem.GetRawText());
    }

    [Fact]
    public async Task ManagementApi_CreatePublishListDisable_Works()
    {
        using var created = await _client.PostAsJsonAsync($"{Api}/endpoints", new { url = "https://example.com/hooks", eventTypes = new[] { "order.*" } });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var endpoint = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = endpoint.GetProperty("id").GetString()!;
        endpoint.GetProperty("secret").GetString().Should().StartWith("whsec_");

        using var published = await _client.PostAsJsonAsync($"{Api}/messages", new { eventType = "order.created", data = new { orderId = 1 } });
        published.StatusCode.Should().Be(HttpStatusCode.Accepted);

        var deliveries = await _client.GetFromJsonAsync<JsonElement>($"{Api}/deliveries?endpointId={id}&status=Pending");
        deliveries.GetProperty("items").GetArrayLength().Should().Be(1);

        var list = await _client.GetFromJsonAsync<JsonElement>($"{Api}/endpoints");
        list.GetProperty("items")[0].TryGetProperty("secret", out _).Should().BeFalse("a listing never shows secrets");

        using var disabled = await _client.PostAsync(new Uri($"{Api}/endpoints/{id}/disable", UriKind.Relative), null);
        disabled.StatusCode.Should().Be(HttpStatusCode.OK);
        (await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean().Should().BeFalse();
    }

    [Theory]
    [InlineData("/messages", "not json", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("/messages", "", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("/endpoints", "not json", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("/messages", "not json", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    public async Task ManagementApi_BodyThatCannotBeRead_ReturnsProblemDetailsNot500(string path, string body, string contentType, HttpStatusCode expected)
    {
        using var response = await _client.PostAsync(new Uri(Api + path, UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, contentType));

        response.StatusCode.Should().Be(expected);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be((int)expected);
        problem.GetProperty("title").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheManagementApi()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        paths.GetProperty($"{Api}/endpoints").GetProperty("post").GetProperty("operationId").GetString().Should().Be("WebhooksCreateEndpoint");
        paths.GetProperty($"{Api}/messages").GetProperty("post").GetProperty("operationId").GetString().Should().Be("WebhooksPublishMessage");
        paths.GetProperty($"{Api}/deliveries/{{id}}/redeliver").GetProperty("post").GetProperty("summary").GetString().Should().NotBeNullOrEmpty();
        paths.EnumerateObject().Count(p => p.Name.StartsWith(Api, StringComparison.Ordinal)).Should().Be(15);
    }

    [Fact]
    public async Task EventTypes_ShowTheSamplesEventWithItsSchema()
    {
        var catalog = await _client.GetFromJsonAsync<JsonElement>($"{Api}/event-types");

        var order = catalog.GetProperty("items").EnumerateArray().Should().ContainSingle().Subject;
        order.GetProperty("eventType").GetString().Should().Be("order.created");
        order.GetProperty("schema").GetProperty("properties").EnumerateObject().Select(p => p.Name).Should().Equal("orderId", "customer", "total");
    }

    [Fact]
    public async Task Deliveries_FilteredByTheMessageId_ListThatMessageOnlyWithStatusNames()
    {
        using var created = await _client.PostAsJsonAsync($"{Api}/endpoints", new { url = "https://example.com/hooks" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        using var first = await _client.PostAsJsonAsync($"{Api}/messages", new { eventType = "order.created", data = new { orderId = 1 } });
        using var second = await _client.PostAsJsonAsync($"{Api}/messages", new { eventType = "order.created", data = new { orderId = 2 } });
        var messageId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString();

        var page = await _client.GetFromJsonAsync<JsonElement>($"{Api}/deliveries?messageId={messageId}");

        var delivery = page.GetProperty("items").EnumerateArray().Should().ContainSingle().Subject;
        delivery.GetProperty("messageId").GetString().Should().Be(messageId);
        delivery.GetProperty("status").GetString().Should().Be("Pending", "enums are names, as the status filter takes them");
    }
}
