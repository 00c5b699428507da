using System.Net.Http.Headers;
using System.Text;
using Webhooks.Management.Tests.Testing;
using Webhooks.Sender;

namespace Webhooks.Management.Tests;

/// <summary>
/// The bad-input matrix: malformed JSON, unknown members, wrong types, bad values, bad query strings and headers, bodies
/// too large or not JSON. Every row asserts its status, that it is a problem details answer, and the field it names;
/// none is a 500.
/// </summary>
public sealed class ManagementBadInputTests : IAsyncLifetime
{
    private const int Limit = 4096;
    private const string Tenant = "acme";
    private const string Url = "\"url\":\"https://hooks.example.com/in\"";

    private ManagementApp _app = null!;
    private string _endpointId = null!;
    private string _deliveryId = null!;

    /// <summary>Method, path ({e} = an endpoint id, {d} = a delivery id), body, content type, status, the error key (null: none expected).</summary>
    public static TheoryData<string, string, string, string?, string, int, string?> Rows { get; } = new()
    {
        // Bodies that are not JSON objects.
        { "not JSON", "POST", "/endpoints", "hello, world", "application/json", 400, "$" },
        { "truncated JSON", "POST", "/endpoints", "{\"url\":", "application/json", 400, "$.url" },
        { "JSON null", "POST", "/endpoints", "null", "application/json", 400, "$" },
        { "JSON array", "POST", "/endpoints", "[]", "application/json", 400, "$" },
        { "JSON string", "POST", "/endpoints", "\"https://hooks.example.com\"", "application/json", 400, "$" },
        { "empty body", "POST", "/endpoints", "", "application/json", 400, "$" },
        { "no body", "POST", "/endpoints", null, "application/json", 400, "$" },
        { "comment in JSON", "POST", "/endpoints", "{/* c */" + Url + "}", "application/json", 400, "$" },
        { "trailing comma", "POST", "/endpoints", "{" + Url + ",}", "application/json", 400, "$" },
        { "two JSON values", "POST", "/endpoints", "{" + Url + "}{}", "application/json", 400, "$" },
        { "invalid UTF-8", "POST", "/endpoints", "{\"url\":\"\udc00\"}", "application/json", 400, null },
        { "JSON without a content type header", "POST", "/endpoints/{e}/disable", "{\"reason\":\"x\"}", "application/octet-stream", 415, null },
        { "text content type", "POST", "/endpoints", "{" + Url + "}", "text/plain", 415, null },
        { "form content type", "POST", "/endpoints", "url=https://hooks.example.com", "application/x-www-form-urlencoded", 415, null },
        { "body over the limit", "POST", "/endpoints", "{" + Url + ",\"description\":\"" + new string('a', Limit) + "\"}", "application/json", 413, null },

        // Unknown members and wrong types.
        { "unknown member", "POST", "/endpoints", "{" + Url + ",\"colour\":\"red\"}", "application/json", 400, "$.colour" },
        { "PascalCase member", "POST", "/endpoints", "{\"Url\":\"https://hooks.example.com/in\"}", "application/json", 400, "$.Url" },
        { "url a number", "POST", "/endpoints", "{\"url\":42}", "application/json", 400, "$.url" },
        { "eventTypes a string", "POST", "/endpoints", "{" + Url + ",\"eventTypes\":\"order.*\"}", "application/json", 400, "$.eventTypes" },
        { "eventTypes item a number", "POST", "/endpoints", "{" + Url + ",\"eventTypes\":[\"a\",1]}", "application/json", 400, "$.eventTypes[1]" },
        { "rate limit a string", "POST", "/endpoints", "{" + Url + ",\"rateLimitPerSecond\":\"5\"}", "application/json", 400, "$.rateLimitPerSecond" },
        { "rate limit a fraction", "POST", "/endpoints", "{" + Url + ",\"rateLimitPerSecond\":1.5}", "application/json", 400, "$.rateLimitPerSecond" },
        { "rate limit overflowing int", "POST", "/endpoints", "{" + Url + ",\"rateLimitPerSecond\":99999999999}", "application/json", 400, "$.rateLimitPerSecond" },
        { "enabled a string", "POST", "/endpoints", "{" + Url + ",\"enabled\":\"yes\"}", "application/json", 400, "$.enabled" },
        { "metadata value a number", "POST", "/endpoints", "{" + Url + ",\"metadata\":{\"a\":1}}", "application/json", 400, "$.metadata.a" },

        // Values the API or the sender refuses.
        { "url missing", "POST", "/endpoints", "{}", "application/json", 400, "$.url" },
        { "url relative", "POST", "/endpoints", "{\"url\":\"/hooks\"}", "application/json", 400, "$.url" },
        { "url ftp", "POST", "/endpoints", "{\"url\":\"ftp://hooks.example.com/in\"}", "application/json", 400, "$.url" },
        { "url to loopback", "POST", "/endpoints", "{\"url\":\"https://127.0.0.1/in\"}", "application/json", 400, "$.url" },
        { "event type filter with a space", "POST", "/endpoints", "{" + Url + ",\"eventTypes\":[\"order created\"]}", "application/json", 400, "$.eventTypes" },
        { "secret not whsec", "POST", "/endpoints", "{" + Url + ",\"secret\":\"hunter2\"}", "application/json", 400, "$.secret" },
        { "header name with a space", "POST", "/endpoints", "{" + Url + ",\"headers\":{\"bad name\":\"x\"}}", "application/json", 400, "$.headers" },
        { "reserved header", "POST", "/endpoints", "{" + Url + ",\"headers\":{\"webhook-id\":\"x\"}}", "application/json", 400, "$.headers" },
        { "rate limit zero", "POST", "/endpoints", "{" + Url + ",\"rateLimitPerSecond\":0}", "application/json", 400, "$.rateLimitPerSecond" },
        { "tenant id empty", "POST", "/endpoints", "{" + Url + ",\"tenantId\":\" \"}", "application/json", 400, "$.tenantId" },
        { "update: url not absolute", "PATCH", "/endpoints/{e}", "{\"url\":\"nope\"}", "application/json", 400, "$.url" },
        { "update: unknown member", "PATCH", "/endpoints/{e}", "{\"name\":\"x\"}", "application/json", 400, "$.name" },
        { "update: enabled is not updatable", "PATCH", "/endpoints/{e}", "{\"enabled\":false}", "application/json", 400, "$.enabled" },
        { "disable: reason a number", "POST", "/endpoints/{e}/disable", "{\"reason\":5}", "application/json", 400, "$.reason" },
        { "disable: reason too long", "POST", "/endpoints/{e}/disable", "{\"reason\":\"" + new string('r', 501) + "\"}", "application/json", 400, "$.reason" },
        { "rotate: negative overlap", "POST", "/endpoints/{e}/secret/rotate", "{\"overlapSeconds\":-1}", "application/json", 400, "$.overlapSeconds" },
        { "rotate: overlap a fraction", "POST", "/endpoints/{e}/secret/rotate", "{\"overlapSeconds\":1.5}", "application/json", 400, "$.overlapSeconds" },
        { "rotate: bad secret", "POST", "/endpoints/{e}/secret/rotate", "{\"secret\":\"whsec_!!\"}", "application/json", 400, "$.secret" },
        { "recover: since missing", "POST", "/endpoints/{e}/recover", "{}", "application/json", 400, "$.since" },
        { "recover: since not a time", "POST", "/endpoints/{e}/recover", "{\"since\":\"yesterday\"}", "application/json", 400, "$.since" },
        { "recover: since a number", "POST", "/endpoints/{e}/recover", "{\"since\":1767225600}", "application/json", 400, "$.since" },
        { "recover: no body", "POST", "/endpoints/{e}/recover", null, "application/json", 400, "$" },
        { "publish: event type missing", "POST", "/messages", "{\"data\":{}}", "application/json", 400, "$.eventType" },
        { "publish: event type with a space", "POST", "/messages", "{\"eventType\":\"order created\",\"data\":{}}", "application/json", 400, "$.eventType" },
        { "publish: event type a number", "POST", "/messages", "{\"eventType\":1,\"data\":{}}", "application/json", 400, "$.eventType" },
        { "publish: data missing", "POST", "/messages", "{\"eventType\":\"order.created\"}", "application/json", 400, "$.data" },
        { "publish: data null", "POST", "/messages", "{\"eventType\":\"order.created\",\"data\":null}", "application/json", 400, "$.data" },
        { "publish: unknown member", "POST", "/messages", "{\"eventType\":\"order.created\",\"data\":{},\"type\":\"x\"}", "application/json", 400, "$.type" },

        // Query strings.
        { "limit zero", "GET", "/endpoints?limit=0", null, "", 400, "limit" },
        { "limit negative", "GET", "/messages?limit=-1", null, "", 400, "limit" },
        { "limit over the maximum", "GET", "/deliveries?limit=1001", null, "", 400, "limit" },
        { "limit not a number", "GET", "/deliveries?limit=ten", null, "", 400, "limit" },
        { "limit overflowing int", "GET", "/deliveries?limit=99999999999", null, "", 400, "limit" },
        { "limit with a sign", "GET", "/deliveries?limit=%2B5", null, "", 400, "limit" },
        { "limit repeated", "GET", "/endpoints?limit=1&limit=2", null, "", 400, "limit" },
        { "cursor with a space", "GET", "/endpoints?after=a%20b", null, "", 400, "after" },
        { "cursor with a NUL", "GET", "/messages?after=msg_%00", null, "", 400, "after" },
        { "cursor too long", "GET", "/deliveries?after=" + new string('x', 300), null, "", 400, "after" },
        { "enabled not a boolean", "GET", "/endpoints?enabled=yes", null, "", 400, "enabled" },
        { "event type filter not valid", "GET", "/messages?eventType=order%20created", null, "", 400, "eventType" },
        { "since not a time", "GET", "/messages?since=yesterday", null, "", 400, "since" },
        { "since a date only", "GET", "/deliveries?since=2026-03-02", null, "", 400, "since" },
        { "until without an offset", "GET", "/deliveries?until=2026-03-02T12:00:00", null, "", 400, "until" },
        { "status unknown", "GET", "/deliveries?status=Done", null, "", 400, "status" },
        { "status a number", "GET", "/deliveries?status=2", null, "", 400, "status" },
        { "status lower case", "GET", "/deliveries?status=failed", null, "", 400, "status" },
        { "status combination", "GET", "/deliveries?status=Pending,Failed", null, "", 400, "status" },
        { "status with a space", "GET", "/deliveries?status=%20Failed", null, "", 400, "status" },
        { "endpoint id filter with a slash", "GET", "/deliveries?endpointId=a%2Fb", null, "", 400, "endpointId" },
        { "unknown query parameter", "GET", "/endpoints?colour=red", null, "", 400, "colour" },
        { "query parameter on a route without any", "GET", "/endpoints/{e}?verbose=1", null, "", 400, "verbose" },
        { "attempts: limit zero", "GET", "/deliveries/{d}/attempts?limit=0", null, "", 400, "limit" },

        // Ids that do not exist or are not ids.
        { "unknown endpoint id", "GET", "/endpoints/sub_nope", null, "", 404, null },
        { "very long endpoint id", "GET", "/endpoints/" + new string('s', 5000), null, "", 404, null },
        { "unknown delivery id", "POST", "/deliveries/dlv_nope/redeliver", null, "", 404, null },
        { "unknown message id", "GET", "/messages/msg_nope", null, "", 404, null },
        { "unknown event type", "GET", "/event-types/order%20created", null, "", 404, null },

        // Methods.
        { "PUT on the endpoints", "PUT", "/endpoints", "{}", "application/json", 405, null },
        { "GET on an action", "GET", "/endpoints/{e}/enable", null, "", 405, null },
    };

    public async Task InitializeAsync()
    {
        _app = await ManagementApp.StartAsync(o => o.MaxRequestBodySize = Limit);
        _endpointId = (await _app.Subscriptions.ForTenant(Tenant).CreateAsync(new("https://hooks.example.com/in"))).Id;
        var messageId = await _app.Publisher.PublishAsync("order.created", new { orderId = 1 }, new WebhookPublishOptions { TenantId = Tenant });
        _deliveryId = (await _app.Deliveries.ListDeliveriesAsync(new() { MessageId = messageId })).Items.Single().Id;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task BadInput_AnswersItsStatusAsProblemDetailsNamingTheField(string row, string method, string path, string? body, string? contentType, int status, string? errorKey)
    {
        var before = await _app.Subscriptions.ListAsync();
        var answer = await _app.SendAsync(new HttpMethod(method), path.Replace("{e}", _endpointId, StringComparison.Ordinal).Replace("{d}", _deliveryId, StringComparison.Ordinal), Tenant, configure: r =>
        {
            if (body is not null)
            {
                r.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                if (row == "invalid UTF-8")
                {
                    r.Content = new ByteArrayContent([.. "{\"url\":\""u8, 0xC3, 0x28, .. "\"}"u8]);
                }

                r.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
            }
        });

        answer.Status.Should().NotBe(500, row);
        answer.Status.Should().Be(status, $"{row}: {answer}");
        if (status is 400 or 413 or 415 || status == 404)
        {
            answer.MediaType.Should().Be("application/problem+json", row);
            answer.Json.GetProperty("status").GetInt32().Should().Be(status, row);
        }

        if (errorKey is not null)
        {
            answer.ErrorKeys.Should().Equal([errorKey], $"{row}: {answer}");
            answer.Json.GetProperty("errors").GetProperty(errorKey)[0].GetString().Should().NotBeNullOrWhiteSpace()
                .And.NotContain("System.", "messages say what to send, not .NET type names");
        }
        else if (status == 400)
        {
            answer.ErrorKeys.Should().NotBeEmpty(row);
        }

        (await _app.Subscriptions.ListAsync()).Items.Should().BeEquivalentTo(before.Items, $"{row} changes nothing");
    }

    [Fact]
    public async Task Publish_BadIdempotencyKey_Is400NamingTheHeader()
    {
        foreach (var keys in new[] { new[] { new string('k', 257) }, ["a", "b"], [" "] })
        {
            var answer = await _app.SendAsync(HttpMethod.Post, "/messages", Tenant, """{"eventType":"order.created","data":{}}""", configure: r => r.Headers.TryAddWithoutValidation("Idempotency-Key", keys));

            answer.Status.Should().Be(400, answer.ToString());
            answer.ErrorKeys.Should().Equal("Idempotency-Key");
        }

        (await _app.Deliveries.ListMessagesAsync()).Items.Should().ContainSingle("only the message published in the arrangement exists");
    }

    [Fact]
    public async Task BadSecret_IsNotEchoedInTheAnswer()
    {
        var answer = await _app.PostAsync("/endpoints", "{" + Url + ",\"secret\":\"whsec_dG9vLXNob3J0LXNlY3JldA==\"}", Tenant);

        answer.Status.Should().Be(400);
        answer.Body.Should().NotContain("dG9vLXNob3J0LXNlY3JldA");
    }
}
