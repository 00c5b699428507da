using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Core;
using Webhooks.Management.Tests.Testing;
using Webhooks.Sender;

namespace Webhooks.Management.Tests;

/// <summary>Every route of the API, as an operator and as a tenant, against the in-memory store.</summary>
public sealed class ManagementApiTests : IAsyncLifetime
{
    private const string Tenant = "acme";
    private ManagementApp _app = null!;

    public async Task InitializeAsync() => _app = await ManagementApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task CreateEndpoint_AsTenant_Answers201WithTheSecretOnceAndLocation()
    {
        var created = await _app.PostAsync("/endpoints", """{"url":"https://hooks.example.com/in","eventTypes":["order.*"],"description":"orders","metadata":{"team":"a"},"headers":{"X-Api-Key":"k"}}""", Tenant);

        created.Status.Should().Be(201, created.ToString());
        created.MediaType.Should().Be("application/json");
        var id = created.Json.GetProperty("id").GetString()!;
        created.Location.Should().Be($"{ManagementApp.Prefix}/endpoints/{id}");
        created.Json.GetProperty("secret").GetString().Should().StartWith("whsec_");
        created.Json.GetProperty("tenantId").GetString().Should().Be(Tenant);
        created.Json.GetProperty("eventTypes").EnumerateArray().Select(e => e.GetString()).Should().Equal("order.*");
        created.Json.GetProperty("headerNames").EnumerateArray().Select(e => e.GetString()).Should().Equal("X-Api-Key");
        created.Body.Should().NotContain("\"k\"", "header values are not shown");

        var stored = await _app.Subscriptions.GetAsync(id);
        stored!.TenantId.Should().Be(Tenant);
        stored.Secrets[0].Secret.RevealEncoded().Should().Be(created.Json.GetProperty("secret").GetString());

        var fetched = await _app.GetAsync($"/endpoints/{id}", Tenant);
        fetched.Status.Should().Be(200);
        fetched.Json.TryGetProperty("secret", out _).Should().BeFalse();
        fetched.Body.Should().NotContain("whsec_");
    }

    [Fact]
    public async Task CreateEndpoint_WithGivenSecret_KeepsIt()
    {
        var secret = WebhookSecret.Generate().RevealEncoded();

        var created = await _app.PostAsync("/endpoints", $$"""{"url":"https://hooks.example.com/in","secret":"{{secret}}","enabled":false}""", Tenant);

        created.Status.Should().Be(201);
        created.Json.GetProperty("secret").GetString().Should().Be(secret);
        created.Json.GetProperty("enabled").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task ListEndpoints_FiltersAndPagesWithTheCursor()
    {
        for (var i = 0; i < 3; i++)
        {
            await _app.Subscriptions.ForTenant(Tenant).CreateAsync(new($"https://hooks.example.com/{i}") { EventTypes = ["order.*"] });
            _app.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var disabled = await _app.Subscriptions.ForTenant(Tenant).CreateAsync(new("https://hooks.example.com/off") { EventTypes = ["invoice.*"], Enabled = false });

        var first = await _app.GetAsync("/endpoints?limit=2&enabled=true", Tenant);
        first.Status.Should().Be(200, first.ToString());
        first.Json.GetProperty("items").GetArrayLength().Should().Be(2);
        var next = first.Json.GetProperty("next").GetString();
        var second = await _app.GetAsync($"/endpoints?limit=2&enabled=true&after={next}", Tenant);
        second.Json.GetProperty("items").GetArrayLength().Should().Be(1);
        second.Json.TryGetProperty("next", out _).Should().BeFalse();

        var byType = await _app.GetAsync("/endpoints?eventType=invoice.paid", Tenant);
        byType.Json.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()).Should().Equal(disabled.Id);
    }

    [Fact]
    public async Task UpdateEndpoint_ChangesOnlyTheGivenMembers()
    {
        var s = await _app.Subscriptions.ForTenant(Tenant).CreateAsync(new("https://hooks.example.com/in") { Description = "keep", EventTypes = ["order.*"] });

        var updated = await _app.SendAsync(HttpMethod.Patch, $"/endpoints/{s.Id}", Tenant, """{"url":"https://hooks.example.com/new","eventTypes":[]}""");

        updated.Status.Should().Be(200, updated.ToString());
        updated.Json.GetProperty("url").GetString().Should().Be("https://hooks.example.com/new");
        updated.Json.GetProperty("description").GetString().Should().Be("keep");
        (await _app.Subscriptions.GetAsync(s.Id))!.EventTypes.Should().BeEmpty();
    }

    [Fact]
    public async Task DisableEnableDelete_ChangeTheEndpoint()
    {
        var s = await _app.Subscriptions.ForTenant(Tenant).CreateAsync(new("https://hooks.example.com/in"));

        var disabled = await _app.PostAsync($"/endpoints/{s.Id}/disable", """{"reason":"maintenance"}""", Tenant);
        disabled.Status.Should().Be(200, disabled.ToString());
        disabled.Json.GetProperty("enabled").GetBoolean().Should().BeFalse();
        disabled.Json.GetProperty("disabledReason").GetString().Should().Be("maintenance");

        var disabledWithoutBody = await _app.PostAsync($"/endpoints/{s.Id}/disable", null, Tenant);
        disabledWithoutBody.Status.Should().Be(200, disabledWithoutBody.ToString());

        var enabled = await _app.PostAsync($"/endpoints/{s.Id}/enable", null, Tenant);
        enabled.Status.Should().Be(200);
        enabled.Json.GetProperty("enabled").GetBoolean().Should().BeTrue();

        var deleted = await _app.SendAsync(HttpMethod.Delete, $"/endpoints/{s.Id}", Tenant);
        deleted.Status.Should().Be(204);
        (await _app.Subscriptions.GetAsync(s.Id)).Should().BeNull();
        (await _app.GetAsync($"/endpoints/{s.Id}", Tenant)).Status.Should().Be(404);
    }

    [Fact]
    public async Task RotateSecret_AnswersTheNewSecretOnceAndKeepsTheOldSigningDuringTheOverlap()
    {
        var s = await _app.Subscriptions.ForTenant(Tenant).CreateAsync(new("https://hooks.example.com/in"));
        var old = s.Secrets[0].Secret.RevealEncoded();

        var rotated = await _app.PostAsync($"/endpoints/{s.Id}/secret/rotate", """{"overlapSeconds":3600}""", Tenant);

        rotated.Status.Should().Be(200, rotated.ToString());
        var secret = rotated.Json.GetProperty("secret").GetString();
        secret.Should().StartWith("whsec_").And.NotBe(old);
        var active = (await _app.Subscriptions.GetAsync(s.Id))!.GetActiveSecrets(_app.Time.GetUtcNow()).Select(x => x.RevealEncoded());
        active.Should().Equal(secret, old);

        var generated = await _app.PostAsync($"/endpoints/{s.Id}/secret/rotate", null, Tenant);
        generated.Status.Should().Be(200);
        generated.Json.GetProperty("secret").GetString().Should().NotBe(secret);
    }

    [Fact]
    public async Task SendTestEvent_DeliversAWebhookTestMessageToThatEndpointOnly()
    {
        var s = await _app.Subscriptions.ForTenant(Tenant).CreateAsync(new("https://hooks.example.com/in") { EventTypes = ["order.*"] });
        var other = await _app.Subscriptions.ForTenant(Tenant).CreateAsync(new("https://hooks.example.com/other"));

        var answer = await _app.PostAsync($"/endpoints/{s.Id}/test", null, Tenant);

        answer.Status.Should().Be(202, answer.ToString());
        answer.Json.GetProperty("eventType").GetString().Should().Be("webhook.test");
        answer.Json.GetProperty("endpointId").GetString().Should().Be(s.Id);
        answer.Json.GetProperty("status").GetString().Should().Be("Pending");
        answer.Location.Should().Be($"{ManagementApp.Prefix}/deliveries/{answer.Json.GetProperty("id").GetString()}");
        var deliveries = await _app.Deliveries.ListDeliveriesAsync(new() { MessageId = answer.Json.GetProperty("messageId").GetString() });
        deliveries.Items.Should().ContainSingle().Which.SubscriptionId.Should().Be(s.Id);
        deliveries.Items.Should().NotContain(d => d.SubscriptionId == other.Id);
    }

    [Fact]
    public async Task Recover_SchedulesTheFailedDeliveriesAgain()
    {
        var s = await _app.Subscriptions.ForTenant(Tenant).CreateAsync(new("https://hooks.example.com/in"));
        var messageId = await _app.Publisher.PublishAsync("order.created", new { id = 1 }, new WebhookPublishOptions { TenantId = Tenant });
        var delivery = (await _app.Deliveries.ListDeliveriesAsync(new() { MessageId = messageId })).Items.Single();
        await _app.CompleteAsync(delivery.Id, succeeded: false);

        var answer = await _app.PostAsync($"/endpoints/{s.Id}/recover", """{"since":"2026-03-01T00:00:00Z"}""", Tenant);

        answer.Status.Should().Be(202, answer.ToString());
        answer.Json.GetProperty("count").GetInt32().Should().Be(1);
        (await _app.Deliveries.GetDeliveryAsync(delivery.Id))!.Status.Should().Be(WebhookDeliveryStatus.Pending);
    }

    [Fact]
    public async Task Messages_ListFiltersAndGetShowsTheEnvelope()
    {
        await _app.Subscriptions.ForTenant(Tenant).CreateAsync(new("https://hooks.example.com/in"));
        var order = await _app.Publisher.PublishAsync("order.created", new { orderId = 42 }, new WebhookPublishOptions { TenantId = Tenant });
        _app.Time.Advance(TimeSpan.FromMinutes(1));
        await _app.Publisher.PublishAsync("invoice.paid", new { invoiceId = "i" }, new WebhookPublishOptions { TenantId = Tenant });

        var list = await _app.GetAsync("/messages?eventType=order.created&since=2026-03-02T11:00:00Z&until=2026-03-02T12:00:30%2B00:00", Tenant);
        list.Status.Should().Be(200, list.ToString());
        list.Json.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()).Should().Equal(order);
        list.Json.GetProperty("items")[0].TryGetProperty("payload", out _).Should().BeFalse();

        var one = await _app.GetAsync($"/messages/{order}", Tenant);
        one.Status.Should().Be(200);
        one.Json.GetProperty("payload").GetProperty("type").GetString().Should().Be("order.created");
        one.Json.GetProperty("payload").GetProperty("data").GetProperty("orderId").GetInt32().Should().Be(42);
        one.Json.GetProperty("createdAt").GetString().Should().Be("2026-03-02T12:00:00+00:00");
    }

    [Fact]
    public async Task Deliveries_ListGetWithAttemptsAttemptsAndRedeliver()
    {
        var s = await _app.Subscriptions.ForTenant(Tenant).CreateAsync(new("https://hooks.example.com/in"));
        var messageId = await _app.Publisher.PublishAsync("order.created", new { id = 1 }, new WebhookPublishOptions { TenantId = Tenant });
        var delivery = (await _app.Deliveries.ListDeliveriesAsync(new() { MessageId = messageId })).Items.Single();
        await _app.CompleteAsync(delivery.Id, succeeded: false);

        var list = await _app.GetAsync($"/deliveries?endpointId={s.Id}&messageId={messageId}&status=Failed", Tenant);
        list.Status.Should().Be(200, list.ToString());
        list.Json.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()).Should().Equal(delivery.Id);
        (await _app.GetAsync("/deliveries?status=Succeeded", Tenant)).Json.GetProperty("items").GetArrayLength().Should().Be(0);

        var one = await _app.GetAsync($"/deliveries/{delivery.Id}", Tenant);
        one.Status.Should().Be(200);
        one.Json.GetProperty("status").GetString().Should().Be("Failed");
        var attempt = one.Json.GetProperty("attempts").EnumerateArray().Should().ContainSingle().Subject;
        attempt.GetProperty("error").GetString().Should().Be("HttpStatus");
        attempt.GetProperty("statusCode").GetInt32().Should().Be(500);
        attempt.GetProperty("durationMs").GetDouble().Should().Be(42);

        var attempts = await _app.GetAsync($"/deliveries/{delivery.Id}/attempts?limit=1", Tenant);
        attempts.Status.Should().Be(200);
        attempts.Json.GetProperty("items").GetArrayLength().Should().Be(1);

        var redelivered = await _app.PostAsync($"/deliveries/{delivery.Id}/redeliver", null, Tenant);
        redelivered.Status.Should().Be(202, redelivered.ToString());
        redelivered.Json.GetProperty("status").GetString().Should().Be("Pending");
        (await _app.Deliveries.GetDeliveryAsync(delivery.Id))!.Status.Should().Be(WebhookDeliveryStatus.Pending);
    }

    [Fact]
    public async Task Publish_AsTenant_PublishesForTheTenantAndTheIdempotencyKeyPublishesOnce()
    {
        var s = await _app.Subscriptions.ForTenant(Tenant).CreateAsync(new("https://hooks.example.com/in"));
        await _app.Subscriptions.ForTenant("other").CreateAsync(new("https://hooks.example.com/other"));

        async Task<Answer> PublishAsync() => await _app.SendAsync(HttpMethod.Post, "/messages", Tenant, """{"eventType":"order.created","data":{"orderId":7}}""",
            configure: r => r.Headers.Add("Idempotency-Key", "order-7-created"));
        var first = await PublishAsync();
        var second = await PublishAsync();

        first.Status.Should().Be(202, first.ToString());
        var messageId = first.Json.GetProperty("messageId").GetString();
        second.Json.GetProperty("messageId").GetString().Should().Be(messageId);
        first.Location.Should().Be($"{ManagementApp.Prefix}/messages/{messageId}");
        var message = await _app.Deliveries.GetMessageAsync(messageId!);
        message!.TenantId.Should().Be(Tenant);
        message.IdempotencyKey.Should().Be("order-7-created");
        (await _app.Deliveries.ListDeliveriesAsync(new() { MessageId = messageId })).Items.Should().ContainSingle().Which.SubscriptionId.Should().Be(s.Id);
    }

    [Fact]
    public async Task Publish_NotEnabled_IsNotMapped()
    {
        await using var app = await ManagementApp.StartAsync(o => o.EnablePublish = false);

        var answer = await app.PostAsync("/messages", """{"eventType":"order.created","data":{}}""");

        answer.Status.Should().Be(405);
        (await app.Deliveries.ListMessagesAsync()).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task EventTypes_ListTheCatalogWithJsonSchemas()
    {
        var list = await _app.GetAsync("/event-types", Tenant);

        list.Status.Should().Be(200, list.ToString());
        var items = list.Json.GetProperty("items").EnumerateArray().ToList();
        items.Select(i => i.GetProperty("eventType").GetString()).Should().Equal("customer.deleted", "invoice.paid", "order.created");
        var order = items[2];
        order.GetProperty("description").GetString().Should().Be("An order was placed.");
        var properties = order.GetProperty("schema").GetProperty("properties");
        properties.GetProperty("orderId").GetProperty("type").ToString().Should().Contain("integer");
        properties.GetProperty("status").GetProperty("type").ToString().Should().Be("integer", "the schema says what the publisher writes: the web defaults write enums as numbers");
        items[0].TryGetProperty("schema", out _).Should().BeFalse("an event type without a payload type has no schema");
        items[1].GetProperty("schema").GetProperty("properties").GetProperty("PaidAt").GetProperty("format").GetString().Should().Be("date-time");

        var one = await _app.GetAsync("/event-types/order.created", Tenant);
        one.Status.Should().Be(200);
        one.Json.GetProperty("eventType").GetString().Should().Be("order.created");
        (await _app.GetAsync("/event-types/order.nope", Tenant)).Status.Should().Be(404);
    }

    [Fact]
    public async Task Operator_SeesEveryTenantAndFiltersByTenant()
    {
        var a = await _app.Subscriptions.ForTenant("a").CreateAsync(new("https://hooks.example.com/a"));
        var b = await _app.Subscriptions.ForTenant("b").CreateAsync(new("https://hooks.example.com/b"));

        var all = await _app.GetAsync("/endpoints");
        var onlyB = await _app.GetAsync("/endpoints?tenantId=b");
        var created = await _app.PostAsync("/endpoints", """{"url":"https://hooks.example.com/c","tenantId":"c"}""");

        all.Json.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()).Should().Contain([a.Id, b.Id]);
        onlyB.Json.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()).Should().Equal(b.Id);
        created.Status.Should().Be(201);
        created.Json.GetProperty("tenantId").GetString().Should().Be("c");
    }

    [Fact]
    public async Task MapWebhookManagementApi_ReturnsTheGroupSoConventionsApplyToEveryRoute()
    {
        await using var app = await ManagementApp.StartAsync(map: a => a.MapWebhookManagementApi("/api/webhooks")
            .AddEndpointFilter((_, _) => ValueTask.FromResult<object?>(Results.StatusCode(StatusCodes.Status418ImATeapot))));

        (await app.GetAsync("/endpoints")).Status.Should().Be(418);
        (await app.GetAsync("/event-types")).Status.Should().Be(418);
    }

    [Fact]
    public async Task UseTenantClaim_ScopesToTheClaimAndDeniesWithoutIt()
    {
        await using var app = await ManagementApp.StartAsync(o => o.UseTenantClaim("tenant"));
        await app.Subscriptions.ForTenant("a").CreateAsync(new("https://hooks.example.com/a"));

        var asB = await app.GetAsync("/endpoints", "b");
        var asOperatorWithoutClaim = await app.GetAsync("/endpoints");

        asB.Status.Should().Be(200);
        asB.Json.GetProperty("items").GetArrayLength().Should().Be(0);
        asOperatorWithoutClaim.Status.Should().Be(403);
        asOperatorWithoutClaim.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public void MapWebhookManagementApi_WithoutSender_ThrowsNamingAddWebhookSender()
    {
        var app = WebApplication.CreateSlimBuilder().Build();

        var act = () => app.MapWebhookManagementApi("/api/webhooks");

        act.Should().Throw<InvalidOperationException>().WithMessage("*AddWebhookSender*");
    }

    [Theory]
    [InlineData("/api/{tenant}")]
    [InlineData("/api/*")]
    public void MapWebhookManagementApi_RouteParameterInPrefix_ThrowsQuotingIt(string prefix)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddWebhookSender();
        var app = builder.Build();

        var act = () => app.MapWebhookManagementApi(prefix);

        act.Should().Throw<ArgumentException>().WithMessage($"*'{prefix}'*");
    }

    [Fact]
    public void MapWebhookManagementApi_BadOption_ThrowsNamingIt()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddWebhookSender();
        var app = builder.Build();

        ((Action)(() => app.MapWebhookManagementApi("/a", o => o.DefaultPageSize = 0))).Should().Throw<ArgumentException>().WithMessage("*DefaultPageSize 0*");
        ((Action)(() => app.MapWebhookManagementApi("/b", o => o.MaxRequestBodySize = -1))).Should().Throw<ArgumentException>().WithMessage("*MaxRequestBodySize -1*");
        ((Action)(() => app.MapWebhookManagementApi("/c", o => o.EndpointNamePrefix = "a-b"))).Should().Throw<ArgumentException>().WithMessage("*EndpointNamePrefix 'a-b'*");
    }

    [Fact]
    public async Task TwoMappings_WithTheirOwnNamePrefixes_BothServe()
    {
        await using var app = await ManagementApp.StartAsync(map: a =>
        {
            a.MapWebhookManagementApi("/api/webhooks");
            a.MapWebhookManagementApi("/admin/webhooks", o => o.EndpointNamePrefix = "AdminWebhooks");
        });

        (await app.GetAsync("/endpoints")).Status.Should().Be(200);
        using var admin = await app.Client.GetAsync("/admin/webhooks/endpoints");
        admin.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
