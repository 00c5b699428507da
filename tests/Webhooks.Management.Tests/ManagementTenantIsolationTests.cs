using Webhooks.Management.Tests.Testing;
using Webhooks.Sender;

namespace Webhooks.Management.Tests;

/// <summary>Tenant B tries every route against tenant A's ids: 404 (as for an id that does not exist), and nothing of A's changes.</summary>
public sealed class ManagementTenantIsolationTests : IAsyncLifetime
{
    private ManagementApp _app = null!;
    private string _endpointId = null!;
    private string _messageId = null!;
    private string _deliveryId = null!;

    public async Task InitializeAsync()
    {
        _app = await ManagementApp.StartAsync();
        var a = _app.Subscriptions.ForTenant("a");
        _endpointId = (await a.CreateAsync(new("https://hooks.example.com/a") { Description = "A's" })).Id;
        _messageId = await _app.Publisher.PublishAsync("order.created", new { orderId = 1 }, new WebhookPublishOptions { TenantId = "a" });
        _deliveryId = (await _app.Deliveries.ListDeliveriesAsync(new() { MessageId = _messageId })).Items.Single().Id;
        await _app.CompleteAsync(_deliveryId, succeeded: false);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EveryRouteById_AsAnotherTenant_Answers404AndChangesNothing()
    {
        var before = await SnapshotAsync();
        var routes = Routes.ById(_endpointId, _messageId, _deliveryId).ToList();
        routes.Should().HaveCount(12);

        foreach (var route in routes)
        {
            var answer = await _app.SendAsync(new HttpMethod(route.Method), route.Path, "b", route.Body);

            answer.Status.Should().Be(404, $"{route.Method} {route.Path} as tenant b: {answer}");
            answer.MediaType.Should().Be("application/problem+json");
            answer.Json.GetProperty("detail").GetString().Should().StartWith("There is no ");
        }

        (await SnapshotAsync()).Should().Be(before, "tenant a's data is unchanged");
    }

    [Fact]
    public async Task NotFoundForAnotherTenant_IsTheSameAnswerAsForAnIdThatDoesNotExist()
    {
        var foreign = await _app.GetAsync($"/endpoints/{_endpointId}", "b");
        var missing = await _app.GetAsync("/endpoints/sub_doesnotexist", "b");

        foreign.Status.Should().Be(missing.Status);
        foreign.Body.Replace(_endpointId, "ID", StringComparison.Ordinal).Should().Be(missing.Body.Replace("sub_doesnotexist", "ID", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lists_AsAnotherTenant_ShowNoneOfTheOtherTenantsData()
    {
        foreach (var path in new[] { "/endpoints", "/messages", "/deliveries", $"/deliveries?endpointId={_endpointId}", $"/deliveries?messageId={_messageId}", "/endpoints?eventType=order.created" })
        {
            var answer = await _app.GetAsync(path, "b");

            answer.Status.Should().Be(200, path);
            answer.Json.GetProperty("items").GetArrayLength().Should().Be(0, path);
        }

        (await _app.GetAsync("/endpoints", "a")).Json.GetProperty("items").GetArrayLength().Should().Be(1, "tenant a sees its own");
    }

    [Fact]
    public async Task NamingAnotherTenant_AsATenant_Is400NamingTheField()
    {
        (await _app.GetAsync("/endpoints?tenantId=a", "b")).ErrorKeys.Should().Equal("tenantId");
        (await _app.GetAsync("/messages?tenantId=a", "b")).ErrorKeys.Should().Equal("tenantId");
        (await _app.GetAsync("/deliveries?tenantId=a", "b")).ErrorKeys.Should().Equal("tenantId");
        (await _app.PostAsync("/endpoints", """{"url":"https://hooks.example.com/x","tenantId":"a"}""", "b")).ErrorKeys.Should().Equal("$.tenantId");
        (await _app.PostAsync("/messages", """{"eventType":"order.created","data":{},"tenantId":"a"}""", "b")).ErrorKeys.Should().Equal("$.tenantId");
        (await _app.Subscriptions.ListAsync(new() { TenantId = "a" })).Items.Should().ContainSingle("nothing was created in tenant a");
    }

    [Fact]
    public async Task PublishAndCreate_AsAnotherTenant_StayInThatTenant()
    {
        var created = await _app.PostAsync("/endpoints", """{"url":"https://hooks.example.com/b"}""", "b");
        var published = await _app.PostAsync("/messages", """{"eventType":"order.created","data":{"orderId":2}}""", "b");

        created.Json.GetProperty("tenantId").GetString().Should().Be("b");
        var deliveries = await _app.Deliveries.ListDeliveriesAsync(new() { MessageId = published.Json.GetProperty("messageId").GetString() });
        deliveries.Items.Should().ContainSingle().Which.SubscriptionId.Should().Be(created.Json.GetProperty("id").GetString(), "tenant a's endpoint does not receive tenant b's event");
    }

    [Fact]
    public async Task EveryRoute_WithoutATenant_Answers403()
    {
        var before = await SnapshotAsync();
        foreach (var route in Routes.All(_endpointId, _messageId, _deliveryId))
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), ManagementApp.Prefix + route.Path);
            if (route.Body is not null)
            {
                request.Content = new StringContent(route.Body, System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await _app.Client.SendAsync(request);

            ((int)response.StatusCode).Should().Be(403, $"{route.Method} {route.Path}");
            response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        }

        (await SnapshotAsync()).Should().Be(before);
    }

    private async Task<string> SnapshotAsync()
    {
        var s = (await _app.Subscriptions.GetAsync(_endpointId))!;
        var d = (await _app.Deliveries.GetDeliveryAsync(_deliveryId))!;
        var messages = await _app.Deliveries.ListMessagesAsync();
        var deliveries = await _app.Deliveries.ListDeliveriesAsync();
        return $"{s.Url} {s.Description} {s.Enabled} {s.UpdatedAt:O} {string.Join(",", s.Secrets.Select(x => x.Secret.RevealEncoded()))} " +
            $"{d.Status} {d.AttemptCount} {messages.Items.Count} {deliveries.Items.Count}";
    }
}
