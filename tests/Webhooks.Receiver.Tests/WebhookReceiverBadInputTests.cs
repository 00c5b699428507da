using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Core;

namespace Webhooks.Receiver.Tests;

/// <summary>
/// The bad-input matrix of DESIGN.md's status table, over a real test host with the default (Standard Webhooks)
/// receiver: every row asserts the status and that no handler ran.
/// </summary>
public sealed class WebhookReceiverBadInputTests : IAsyncLifetime
{
    private const long Limit = 4096;

    private static readonly byte[] Valid = TestBodies.Envelope("order.created", """{"orderId":1}""");

    private static readonly Dictionary<string, (int Status, Action<HttpContext> Arrange)> Rows = new()
    {
        // 405
        ["GET"] = (405, c => { StandardSigner.Sign(c, Valid); c.Request.Method = HttpMethods.Get; }),
        ["PUT"] = (405, c => { StandardSigner.Sign(c, Valid); c.Request.Method = HttpMethods.Put; }),
        ["HEAD"] = (405, c => c.Request.Method = HttpMethods.Head),

        // 413
        ["declared length over the limit"] = (413, c => { StandardSigner.Sign(c, Valid); c.Request.ContentLength = Limit + 1; c.Request.Body = new MemoryStream(new byte[Limit + 1]); }),
        ["undeclared length over the limit"] = (413, c => { StandardSigner.Sign(c, Big(Limit + 1)); c.Request.ContentLength = null; }),
        ["declared small, sends more than the limit"] = (413, c => { StandardSigner.Sign(c, Big(Limit * 2)); c.Request.ContentLength = 10; }),

        // 400: body
        ["truncated body (shorter than declared)"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Body = new MemoryStream(Valid[..(Valid.Length / 2)]); }),
        ["empty body"] = (400, c => StandardSigner.Sign(c, [])),
        ["not JSON"] = (400, c => StandardSigner.Sign(c, TestBodies.Utf8("hello, world"))),
        ["truncated JSON, signed"] = (400, c => StandardSigner.Sign(c, Valid[..(Valid.Length - 3)])),
        ["form body with a form content type"] = (400, c => { StandardSigner.Sign(c, TestBodies.Utf8("type=order.created&orderId=1")); c.Request.ContentType = "application/x-www-form-urlencoded"; }),
        ["text content type, not JSON"] = (400, c => { StandardSigner.Sign(c, TestBodies.Utf8("<order id='1'/>")); c.Request.ContentType = "text/xml"; }),
        ["payload not of the handler's type"] = (400, c => StandardSigner.Sign(c, TestBodies.Envelope("order.created", "\"one\""))),
        ["payload with a field of the wrong type"] = (400, c => StandardSigner.Sign(c, TestBodies.Envelope("order.created", """{"orderId":"x"}"""))),
        ["payload null"] = (400, c => StandardSigner.Sign(c, TestBodies.Envelope("order.created", "null"))),
        ["event type not a string"] = (400, c => StandardSigner.Sign(c, TestBodies.Utf8("""{"type":42,"data":{"orderId":1}"""))),
        ["event type with spaces"] = (400, c => StandardSigner.Sign(c, TestBodies.Envelope("order created", """{"orderId":1}"""))),

        // 400: headers
        ["no headers at all"] = (400, c => StandardSigner.SetBody(c, Valid)),
        ["missing webhook-id"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers.Remove("webhook-id"); }),
        ["missing webhook-timestamp"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers.Remove("webhook-timestamp"); }),
        ["missing webhook-signature"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers.Remove("webhook-signature"); }),
        ["empty webhook-id"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-id"] = string.Empty; }),
        ["timestamp not digits"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-timestamp"] = "soon"; }),
        ["timestamp negative"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-timestamp"] = "-1767225600"; }),
        ["timestamp with a fraction"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-timestamp"] = StandardSigner.Now + ".5"; }),
        ["timestamp in Arabic-Indic digits"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-timestamp"] = "١٧٦٧٢٢٥٦٠٠"; }),
        ["timestamp overflowing long"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-timestamp"] = "99999999999999999999999"; }),
        ["duplicated webhook-id"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-id"] = new(["msg_1", "msg_2"]); }),
        ["duplicated webhook-signature"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-signature"] = new([c.Request.Headers["webhook-signature"].ToString(), "v1,AAAA"]); }),
        ["duplicated webhook-timestamp"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-timestamp"] = new([StandardSigner.Now.ToString(System.Globalization.CultureInfo.InvariantCulture), "0"]); }),
        ["very long webhook-id"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-id"] = new string('a', 5000); }),
        ["non-ASCII webhook-id (signed)"] = (400, c => StandardSigner.Sign(c, Valid, id: "msg_é☃")),
        ["webhook-id with a control character"] = (400, c => StandardSigner.Sign(c, Valid, id: "msg_\u0001")),
        ["webhook-* and svix-* mixed, webhook set incomplete"] = (400, c => { StandardSigner.Sign(c, Valid, prefix: "svix"); c.Request.Headers["webhook-id"] = "msg_1"; }),
        ["signature empty v1 token"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-signature"] = "v1,"; }),
        ["signature very long (2000 tokens)"] = (400, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-signature"] = string.Join(' ', Enumerable.Repeat("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", 2000)); }),

        // 401
        ["signature from another secret"] = (401, c => StandardSigner.Sign(c, Valid, secret: WebhookSecret.Generate())),
        ["signature of another body"] = (401, c => { StandardSigner.Sign(c, TestBodies.Envelope("order.created", """{"orderId":2}""")); StandardSigner.SetBody(c, Valid); }),
        ["signature of another id"] = (401, c => { StandardSigner.Sign(c, Valid, id: "msg_other"); c.Request.Headers["webhook-id"] = "msg_1"; }),
        ["signature garbage"] = (401, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-signature"] = "v1,not-base64!!"; }),
        ["signature of an unknown version only"] = (401, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-signature"] = "v2," + c.Request.Headers["webhook-signature"].ToString()[3..]; }),
        ["signature with non-ASCII"] = (401, c => { StandardSigner.Sign(c, Valid); c.Request.Headers["webhook-signature"] = "v1,ÿÿÿÿ☃"; }),
        ["timestamp 6 minutes old (replay outside the window)"] = (401, c => StandardSigner.Sign(c, Valid, timestamp: StandardSigner.Now - 360)),
        ["timestamp 6 minutes ahead"] = (401, c => StandardSigner.Sign(c, Valid, timestamp: StandardSigner.Now + 360)),
        ["unsigned, text content type"] = (401, c => { StandardSigner.Sign(c, Valid); c.Request.ContentType = "text/plain"; c.Request.Headers["webhook-signature"] = "v1,AAAA"; }),
        ["svix headers with a bad signature"] = (401, c => { StandardSigner.Sign(c, Valid, prefix: "svix"); c.Request.Headers["svix-signature"] = "v1,AAAA"; }),

        // 200 without a handler call
        ["unknown event type"] = (200, c => StandardSigner.Sign(c, TestBodies.Envelope("order.deleted", """{"orderId":1}"""))),
        ["JSON that names no type"] = (200, c => StandardSigner.Sign(c, TestBodies.Utf8("""{"test": 2432232314}"""))),
    };

    private ReceiverHost _host = null!;
    private int _shippedAttempts;

    public static TheoryData<string> RowNames => [.. Rows.Keys];

    public async Task InitializeAsync() =>
        _host = await ReceiverHost.StartAsync(services => services
            .AddWebhookReceiver(o =>
            {
                o.Secrets.Add(StandardSigner.EncodedSecret);
                o.MaxBodySize = Limit;
            })
            .AddHandler<OrderCreated, RecordingOrderHandler>()
            .AddHandler<OrderShipped>((ctx, _) =>
            {
                ctx.Services.GetRequiredService<HandlerCalls>().Add("shipped", ctx, ctx.Data);
                return Interlocked.Increment(ref _shippedAttempts) == 1 ? throw new InvalidOperationException("first attempt fails") : Task.CompletedTask;
            }));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [MemberData(nameof(RowNames))]
    public async Task Post_BadInput_AnswersTheTableStatusAndCallsNoHandler(string row)
    {
        var (status, arrange) = Rows[row];

        var context = await _host.SendAsync(arrange);

        context.Response.StatusCode.Should().Be(status, row);
        _host.Calls.Count.Should().Be(0, "no handler runs for a bad request");
        if (status >= 400)
        {
            context.Response.ContentType.Should().Be("application/problem+json");
        }
    }

    [Fact]
    public async Task Post_HandlerThrows_500ThenTheSendersRetryIsHandledOnce()
    {
        var body = TestBodies.Envelope("order.shipped", """{"orderId":3}""");

        var failed = await _host.SendAsync(c => StandardSigner.Sign(c, body, id: "msg_shipped"));
        _host.Time.Advance(TimeSpan.FromSeconds(5));
        var retry = await _host.SendAsync(c => StandardSigner.Sign(c, body, id: "msg_shipped", timestamp: StandardSigner.Now + 5));
        var again = await _host.SendAsync(c => StandardSigner.Sign(c, body, id: "msg_shipped", timestamp: StandardSigner.Now + 5));

        failed.Response.StatusCode.Should().Be(500);
        retry.Response.StatusCode.Should().Be(200);
        again.Response.StatusCode.Should().Be(200);
        _shippedAttempts.Should().Be(2);
    }

    [Fact]
    public async Task Post_BadSignature_ProblemBodyIsGeneric()
    {
        var context = await _host.SendAsync(c => StandardSigner.Sign(c, Valid, secret: WebhookSecret.Generate()));

        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        body.Should().Be("""{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401,"detail":"The webhook could not be verified."}""");
    }

    [Fact]
    public async Task Post_StaleTimestamp_SameProblemAsBadSignature()
    {
        var stale = await _host.SendAsync(c => StandardSigner.Sign(c, Valid, timestamp: StandardSigner.Now - 3600));
        var forged = await _host.SendAsync(c => StandardSigner.Sign(c, Valid, secret: WebhookSecret.Generate()));

        (await new StreamReader(stale.Response.Body).ReadToEndAsync()).Should().Be(await new StreamReader(forged.Response.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task Post_GenuineFirstDelivery_IsTheOnlyOneHandled()
    {
        var ok = await _host.SendAsync(c => StandardSigner.Sign(c, Valid, id: "msg_genuine"));
        var replay = await _host.SendAsync(c => StandardSigner.Sign(c, Valid, id: "msg_genuine"));
        _host.Time.Advance(TimeSpan.FromMinutes(6));
        var lateReplay = await _host.SendAsync(c => StandardSigner.Sign(c, Valid, id: "msg_genuine", timestamp: StandardSigner.Now));
        var retry = await _host.SendAsync(c => StandardSigner.Sign(c, Valid, id: "msg_genuine", timestamp: StandardSigner.Now + 360));

        ok.Response.StatusCode.Should().Be(200);
        replay.Response.StatusCode.Should().Be(200, "a replay inside the window is acknowledged");
        lateReplay.Response.StatusCode.Should().Be(401, "a replay outside the window is stale");
        retry.Response.StatusCode.Should().Be(200, "the sender's re-signed retry of a handled message is acknowledged");
        _host.Calls.Count.Should().Be(1);
    }

    [Fact]
    public async Task Post_SvixHeaders_AreAccepted()
    {
        var context = await _host.SendAsync(c => StandardSigner.Sign(c, Valid, id: "msg_svix", prefix: "svix"));

        context.Response.StatusCode.Should().Be(200);
        _host.Calls.All.Should().ContainSingle().Which.MessageId.Should().Be("msg_svix");
    }

    [Fact]
    public async Task Post_RealClient_NonAsciiAndLongHeaders_NeverAnswer5xx()
    {
        using var request = StandardSigner.Request(Valid, id: "msg_long");
        request.Headers.TryAddWithoutValidation("webhook-signature-extra", new string('x', 16_000));
        request.Headers.Remove(StandardWebhookHeaders.Timestamp);
        request.Headers.TryAddWithoutValidation(StandardWebhookHeaders.Timestamp, "１７６７２２５６００");

        var response = await _host.Client.SendAsync(request);

        ((int)response.StatusCode).Should().Be(400);
        _host.Calls.Count.Should().Be(0);
    }

    private static byte[] Big(long size)
    {
        var body = new byte[size];
        Array.Fill(body, (byte)' ');
        Encoding.UTF8.GetBytes("""{"type":"order.created","data":{"orderId":1}}""").CopyTo(body, 0);
        return body;
    }
}
