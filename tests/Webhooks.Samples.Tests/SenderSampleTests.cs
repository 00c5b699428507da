using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Webhooks.Samples.Sender;

namespace Webhooks.Samples.Tests;

/// <summary>The sender sample's management API, on a SQLite file, with the dispatcher off.</summary>
public sealed class SenderSampleTests : IAsyncLifetime
{
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
    [InlineData("""{"url":"not a url"}""", "url")]
    [InlineData("""{"url":"ftp://example.com/hooks"}""", "url")]
    [InlineData("""{"url":"https://example.com/hooks","eventTypes":["order..x"]}""", "eventTypes")]
    [InlineData("""{"url":"https://example.com/hooks","secret":"whsec_nope"}""", "secret")]
    public async Task CreateSubscription_BadInput_Returns400NamingTheField(string body, string field)
    {
        using var response = await _client.PostAsync(new Uri("/subscriptions", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue(problem.GetRawText());
    }

    [Fact]
    public async Task ManagementApi_CreatePublishListDisable_Works()
    {
        using var created = await _client.PostAsJsonAsync("/subscriptions", new { url = "https://example.com/hooks", eventTypes = new[] { "order.*" } });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var subscription = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = subscription.GetProperty("id").GetString()!;
        subscription.GetProperty("secret").GetString().Should().StartWith("whsec_");

        using var published = await _client.PostAsJsonAsync("/events", new { type = "order.created", data = new { orderId = 1 } });
        published.StatusCode.Should().Be(HttpStatusCode.Accepted);

        var deliveries = await _client.GetFromJsonAsync<JsonElement>($"/deliveries?subscriptionId={id}&status=pending");
        deliveries.GetProperty("items").GetArrayLength().Should().Be(1);

        var list = await _client.GetFromJsonAsync<JsonElement>("/subscriptions");
        list.GetProperty("items")[0].TryGetProperty("secret", out var secret).Should().BeTrue();
        secret.ValueKind.Should().Be(JsonValueKind.Null, "a listing never shows secrets");

        using var disabled = await _client.PostAsync(new Uri($"/subscriptions/{id}/disable", UriKind.Relative), null);
        disabled.StatusCode.Should().Be(HttpStatusCode.OK);
        (await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task ManagementApi_BadOrUnknownIds_Return400Or404()
    {
        using var noType = await _client.PostAsJsonAsync("/events", new { data = new { orderId = 1 } });
        noType.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        using var badStatus = await _client.GetAsync(new Uri("/deliveries?status=lost", UriKind.Relative));
        badStatus.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        using var notJson = await _client.PostAsync(new Uri("/events", UriKind.Relative), new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        notJson.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        using var disable = await _client.PostAsync(new Uri("/subscriptions/sub_missing/disable", UriKind.Relative), null);
        disable.StatusCode.Should().Be(HttpStatusCode.NotFound);

        using var attempts = await _client.GetAsync(new Uri("/deliveries/dlv_missing/attempts", UriKind.Relative));
        attempts.StatusCode.Should().Be(HttpStatusCode.NotFound);

        using var redeliver = await _client.PostAsync(new Uri("/messages/msg_missing/redeliver/sub_missing", UriKind.Relative), null);
        redeliver.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/events", "not json", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("/events", "", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("/subscriptions", "not json", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("/events", "not json", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    public async Task ManagementApi_BodyThatCannotBeRead_ReturnsProblemDetailsNot500(string path, string body, string contentType, HttpStatusCode expected)
    {
        using var response = await _client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, contentType));

        response.StatusCode.Should().Be(expected);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be((int)expected);
        problem.GetProperty("title").GetString().Should().NotBeNullOrEmpty();
        if (expected == HttpStatusCode.BadRequest)
        {
            problem.GetProperty("detail").GetString().Should().NotBeNullOrEmpty("a 400 says what could not be read");
        }
    }

    [Fact]
    public async Task Publish_WithoutData_Returns400NamingData()
    {
        using var response = await _client.PostAsJsonAsync("/events", new { type = "order.created" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("data", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Deliveries_FilteredByTheMessageIdOfThe202Location_ListThatMessageOnlyWithStatusNames()
    {
        using var created = await _client.PostAsJsonAsync("/subscriptions", new { url = "https://example.com/hooks" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        using var first = await _client.PostAsJsonAsync("/events", new { type = "order.created", data = new { orderId = 1 } });
        using var second = await _client.PostAsJsonAsync("/events", new { type = "order.created", data = new { orderId = 2 } });
        var messageId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString();

        var page = await _client.GetFromJsonAsync<JsonElement>(first.Headers.Location);

        var delivery = page.GetProperty("items").EnumerateArray().Should().ContainSingle().Subject;
        delivery.GetProperty("messageId").GetString().Should().Be(messageId);
        delivery.GetProperty("status").GetString().Should().Be("Pending", "enums are names, as the status filter takes them");
    }
}
