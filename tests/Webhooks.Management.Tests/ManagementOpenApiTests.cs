#if NET10_0_OR_GREATER
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Management.Tests.Testing;

namespace Webhooks.Management.Tests;

/// <summary>The app's own OpenAPI generator (Microsoft.AspNetCore.OpenApi) documents every route from its endpoint metadata.</summary>
public sealed class ManagementOpenApiTests : IAsyncLifetime
{
    /// <summary>Every route: method, path template, operation id, the answers it documents.</summary>
    public static TheoryData<string, string, string, int[]> Operations { get; } = new()
    {
        { "get", "/api/webhooks/endpoints", "WebhooksListEndpoints", [200, 400, 403] },
        { "post", "/api/webhooks/endpoints", "WebhooksCreateEndpoint", [201, 400, 403, 413, 415] },
        { "get", "/api/webhooks/endpoints/{id}", "WebhooksGetEndpoint", [200, 400, 403, 404] },
        { "patch", "/api/webhooks/endpoints/{id}", "WebhooksUpdateEndpoint", [200, 400, 403, 404, 413, 415] },
        { "delete", "/api/webhooks/endpoints/{id}", "WebhooksDeleteEndpoint", [204, 400, 403, 404] },
        { "post", "/api/webhooks/endpoints/{id}/enable", "WebhooksEnableEndpoint", [200, 400, 403, 404] },
        { "post", "/api/webhooks/endpoints/{id}/disable", "WebhooksDisableEndpoint", [200, 400, 403, 404, 413, 415] },
        { "post", "/api/webhooks/endpoints/{id}/secret/rotate", "WebhooksRotateEndpointSecret", [200, 400, 403, 404, 413, 415] },
        { "post", "/api/webhooks/endpoints/{id}/test", "WebhooksSendTestEvent", [202, 400, 403, 404] },
        { "post", "/api/webhooks/endpoints/{id}/recover", "WebhooksRecoverEndpoint", [202, 400, 403, 404, 413, 415] },
        { "get", "/api/webhooks/messages", "WebhooksListMessages", [200, 400, 403] },
        { "get", "/api/webhooks/messages/{id}", "WebhooksGetMessage", [200, 400, 403, 404] },
        { "post", "/api/webhooks/messages", "WebhooksPublishMessage", [202, 400, 403, 413, 415] },
        { "get", "/api/webhooks/deliveries", "WebhooksListDeliveries", [200, 400, 403] },
        { "get", "/api/webhooks/deliveries/{id}", "WebhooksGetDelivery", [200, 400, 403, 404] },
        { "get", "/api/webhooks/deliveries/{id}/attempts", "WebhooksListDeliveryAttempts", [200, 400, 403, 404] },
        { "post", "/api/webhooks/deliveries/{id}/redeliver", "WebhooksRedeliverDelivery", [202, 400, 403, 404] },
        { "get", "/api/webhooks/event-types", "WebhooksListEventTypes", [200, 400, 403] },
        { "get", "/api/webhooks/event-types/{eventType}", "WebhooksGetEventType", [200, 400, 403, 404] },
    };

    private ManagementApp _app = null!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _app = await ManagementApp.StartAsync(services: b => b.Services.AddOpenApi(), map: a =>
        {
            a.MapWebhookManagementApi(ManagementApp.Prefix, o => o.EnablePublish = true);
            a.MapOpenApi();
        });
        var json = await _app.Client.GetStringAsync("/openapi/v1.json");
        _document = JsonDocument.Parse(json).RootElement;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [MemberData(nameof(Operations))]
    public void Document_DescribesTheRoute(string method, string path, string operationId, int[] statuses)
    {
        var operation = _document.GetProperty("paths").GetProperty(path).GetProperty(method);

        operation.GetProperty("operationId").GetString().Should().Be(operationId);
        operation.GetProperty("summary").GetString().Should().NotBeNullOrWhiteSpace();
        operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Should().Contain("Webhooks");
        operation.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture)).Should().BeEquivalentTo(statuses);
        foreach (var problem in statuses.Where(s => s >= 400))
        {
            operation.GetProperty("responses").GetProperty(problem.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .GetProperty("content").TryGetProperty("application/problem+json", out _).Should().BeTrue($"{operationId} documents {problem} as problem details");
        }

        if (statuses.Contains(415))
        {
            operation.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name).Should().Equal("application/json");
        }
    }

    [Fact]
    public void Document_HasEveryRouteAndNoOther()
    {
        var documented = _document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name} {p.Name}"))
            .ToList();

        documented.Should().BeEquivalentTo(Operations.Select(o => $"{o[0]} {o[1]}"), "the hidden twins of the body routes stay out of the document");
        Routes.All("e", "m", "d").Select(r => r.OperationId).Should().BeEquivalentTo(Operations.Select(o => (string)o[2]), "the route list of the other tests is complete");
    }

    [Fact]
    public void Document_DescribesBodiesAndAnswersWithTheirSchemas()
    {
        var create = _document.GetProperty("paths").GetProperty("/api/webhooks/endpoints").GetProperty("post");
        var schemas = _document.GetProperty("components").GetProperty("schemas");

        Resolve(schemas, create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"))
            .GetProperty("properties").EnumerateObject().Select(p => p.Name).Should().Contain(["url", "eventTypes", "secret", "tenantId"]);
        Resolve(schemas, create.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema"))
            .GetProperty("properties").EnumerateObject().Select(p => p.Name).Should().Contain(["id", "secret", "createdAt"]);
        var delivery = Resolve(schemas, _document.GetProperty("paths").GetProperty("/api/webhooks/deliveries/{id}").GetProperty("get")
            .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var status = Resolve(schemas, delivery.GetProperty("properties").GetProperty("status"));
        status.GetProperty("enum").EnumerateArray().Select(e => e.GetString()).Should().Contain(["Pending", "Failed"], "enums are strings in the document as on the wire");
        var list = _document.GetProperty("paths").GetProperty("/api/webhooks/deliveries").GetProperty("get");
        list.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Should().Contain(["endpointId", "status", "since", "limit", "after"]);
    }

    private static JsonElement Resolve(JsonElement schemas, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;
}
#endif
