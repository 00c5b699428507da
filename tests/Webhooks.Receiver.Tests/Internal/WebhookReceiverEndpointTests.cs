using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver.Tests.Internal;

/// <summary>The request pipeline, driven through a custom scheme so it stands apart from any signature format.</summary>
public sealed class WebhookReceiverEndpointTests
{
    [Fact]
    public async Task Post_SameMessageTwice_HandlerRunsOnceAndRepeatGets200()
    {
        await using var host = await StartAsync();

        var first = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));
        var repeat = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        repeat.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.Count.Should().Be(1);
    }

    [Fact]
    public async Task Post_RepeatAfterRetention_IsHandledAgain()
    {
        await using var host = await StartAsync(o => o.IdempotencyRetention = TimeSpan.FromHours(1));

        await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));
        host.Time.Advance(TimeSpan.FromMinutes(59));
        await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));
        host.Time.Advance(TimeSpan.FromMinutes(2));
        var late = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));

        late.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.Count.Should().Be(2, "the id is remembered for the retention only");
    }

    [Fact]
    public async Task Post_RetentionShorterThanTwiceTolerance_IdKeptForTwiceTolerance()
    {
        await using var host = await StartAsync(o =>
        {
            o.IdempotencyRetention = TimeSpan.FromSeconds(1);
            o.Tolerance = TimeSpan.FromMinutes(5);
        });

        await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));
        host.Time.Advance(TimeSpan.FromMinutes(9));
        await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));

        host.Calls.Count.Should().Be(1);
    }

    [Fact]
    public async Task Post_SameIdForAnotherReceiver_IsHandledByBoth()
    {
        await using var host = await ReceiverHost.StartAsync(
            services =>
            {
                services.AddWebhookReceiver("a", o => o.UseScheme(new TestScheme())).AddHandler<OrderCreated, RecordingOrderHandler>("order.created");
                services.AddWebhookReceiver("b", o => o.UseScheme(new TestScheme())).AddHandler<OrderCreated, RecordingOrderHandler>("order.created");
            },
            app =>
            {
                app.MapWebhookReceiver("/a", "a");
                app.MapWebhookReceiver("/b", "b");
            });

        var a = await host.Client.SendAsync(WithPath(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""), "/a"));
        var b = await host.Client.SendAsync(WithPath(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""), "/b"));

        a.StatusCode.Should().Be(HttpStatusCode.OK);
        b.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.All.Select(c => c.ReceiverName).Should().Equal("a", "b");
    }

    [Fact]
    public async Task Post_HandlerThrowsThenSucceeds_500ThenRetryHandledThenDuplicate()
    {
        var attempts = 0;
        await using var host = await ReceiverHost.StartAsync(services => services
            .AddWebhookReceiver(o => o.UseScheme(new TestScheme()))
            .AddHandler<OrderCreated>("order.created", (ctx, _) =>
            {
                ctx.Services.GetRequiredService<HandlerCalls>().Add("handler", ctx, ctx.Data);
                return ++attempts == 1 ? throw new InvalidOperationException("database down") : Task.CompletedTask;
            }));

        var failed = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));
        var retried = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));
        var duplicate = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));

        failed.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        (await failed.Content.ReadAsStringAsync()).Should().NotContain("database down");
        failed.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        retried.StatusCode.Should().Be(HttpStatusCode.OK);
        duplicate.StatusCode.Should().Be(HttpStatusCode.OK);
        attempts.Should().Be(2);
    }

    [Fact]
    public async Task Post_ConcurrentDuplicates_HandlerRunsOnceAndTheOtherGets409()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        await using var host = await ReceiverHost.StartAsync(services => services
            .AddWebhookReceiver(o => o.UseScheme(new TestScheme()))
            .AddHandler<OrderCreated>("order.created", async (_, _) =>
            {
                Interlocked.Increment(ref runs);
                entered.TrySetResult();
                await release.Task;
            }));

        var first = host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var second = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));
        release.SetResult();
        var firstResponse = await first.WaitAsync(TimeSpan.FromSeconds(10));

        second.StatusCode.Should().Be(HttpStatusCode.Conflict);
        second.Headers.RetryAfter.Should().NotBeNull();
        firstResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        runs.Should().Be(1);
    }

    [Fact]
    public async Task Post_ManyConcurrentDuplicates_HandlerRunsExactlyOnce()
    {
        var runs = 0;
        await using var host = await ReceiverHost.StartAsync(services => services
            .AddWebhookReceiver(o => o.UseScheme(new TestScheme()))
            .AddHandler<OrderCreated>("order.created", async (_, ct) =>
            {
                Interlocked.Increment(ref runs);
                await Task.Yield();
            }));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""))));

        runs.Should().Be(1);
        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Post_BodyAtTheLimit_IsAccepted()
    {
        await using var host = await StartAsync(o => o.MaxBodySize = 64);
        var json = """{"orderId":1,"customer":"" }""";
        json = json.Replace("\"\"", "\"" + new string('a', 64 - json.Length) + "\"", StringComparison.Ordinal);

        var response = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", json));

        Encoding.UTF8.GetByteCount(json).Should().Be(64);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Post_UndeclaredLengthOverTheLimit_413WhileReading()
    {
        await using var host = await StartAsync(o => o.MaxBodySize = 1024);
        var stream = new CountingStream(new byte[100_000]);

        var context = await host.SendAsync(c =>
        {
            SignTest(c, "msg_1");
            c.Request.Body = stream;
        });

        context.Response.StatusCode.Should().Be(StatusCodes.Status413PayloadTooLarge);
        stream.BytesRead.Should().BeLessThan(100_000, "reading stops at the limit");
        host.Calls.Count.Should().Be(0);
    }

    [Fact]
    public async Task Post_UndeclaredLengthInManyChunks_WholeBodyReachesTheHandler()
    {
        await using var host = await StartAsync();
        var body = Encoding.UTF8.GetBytes("{\"orderId\":7,\"customer\":\"" + new string('c', 60_000) + "\"}");

        var context = await host.SendAsync(c =>
        {
            SignTest(c, "msg_1");
            c.Request.Body = new CountingStream(body);
        });

        context.Response.StatusCode.Should().Be(StatusCodes.Status200OK);
        host.Calls.All.Single().Data.Should().Be(new OrderCreated(7, new string('c', 60_000)));
    }

    [Fact]
    public async Task Post_DeclaredLengthOverTheLimit_413WithoutReading()
    {
        await using var host = await StartAsync(o => o.MaxBodySize = 1024);
        var stream = new CountingStream(new byte[2048]);

        var context = await host.SendAsync(c =>
        {
            SignTest(c, "msg_1");
            c.Request.ContentLength = 2048;
            c.Request.Body = stream;
        });

        context.Response.StatusCode.Should().Be(StatusCodes.Status413PayloadTooLarge);
        stream.BytesRead.Should().Be(0);
    }

    [Fact]
    public async Task Post_ClientAbortsWhileSending_NoHandlerAndNo500()
    {
        await using var host = await StartAsync();

        var context = await host.SendAsync(c =>
        {
            SignTest(c, "msg_1");
            c.Request.Body = new ThrowingStream(new OperationCanceledException());
        });

        context.Response.StatusCode.Should().BeLessThan(500);
        host.Calls.Count.Should().Be(0);
    }

    [Fact]
    public async Task Post_ConnectionResetWhileReading_400()
    {
        await using var host = await StartAsync();

        var context = await host.SendAsync(c =>
        {
            SignTest(c, "msg_1");
            c.Request.Body = new ThrowingStream(new IOException("reset"));
        });

        context.Response.StatusCode.Should().Be(StatusCodes.Status400BadRequest);
        host.Calls.Count.Should().Be(0);
    }

    [Fact]
    public async Task Post_Handled_CountsOutcomeAndHandlerDuration()
    {
        await using var host = await StartAsync();
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        using var requests = new MetricCollector<long>(meterFactory, WebhookReceiverMetrics.MeterName, WebhookReceiverMetrics.RequestsName);
        using var duration = new MetricCollector<double>(meterFactory, WebhookReceiverMetrics.MeterName, WebhookReceiverMetrics.HandlerDurationName);

        await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));
        await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));
        await host.Client.SendAsync(TestScheme.Request("msg_2", "order.created", "{}", signature: "bad"));

        requests.GetMeasurementSnapshot().Select(m => m.Tags[WebhookReceiverMetrics.OutcomeTag]).Should()
            .Equal(WebhookReceiverOutcome.Handled, WebhookReceiverOutcome.Duplicate, WebhookReceiverOutcome.Unauthorized);
        var recorded = duration.GetMeasurementSnapshot().Should().ContainSingle().Subject;
        recorded.Tags[WebhookReceiverMetrics.EventTypeTag].Should().Be("order.created");
        recorded.Value.Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task Post_WithTraceParent_ActivityContinuesTheSendersTrace()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WebhookReceiverActivitySource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await StartAsync();
        using var request = TestScheme.Request("msg_traced", "order.created", """{"orderId":1}""");
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        await host.Client.SendAsync(request);

        var activity = activities.Should().ContainSingle(a => "msg_traced".Equals(a.GetTagItem("webhooks.message.id"))).Subject;
        activity.TraceId.ToString().Should().Be("0af7651916cd43dd8448eb211c80319c");
        activity.OperationName.Should().Be(WebhookReceiverActivitySource.ActivityName);
        activity.GetTagItem(WebhookReceiverMetrics.OutcomeTag).Should().Be(WebhookReceiverOutcome.Handled);
    }

    [Fact]
    public async Task Post_IdempotencyStoreDown_503AndNoHandler()
    {
        await using var host = await ReceiverHost.StartAsync(services => services
            .AddWebhookReceiver(o => o.UseScheme(new TestScheme()))
            .AddHandler<OrderCreated, RecordingOrderHandler>("order.created")
            .UseIdempotencyStore<FailingStore>());

        var response = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.Should().NotBeNull();
        host.Calls.Count.Should().Be(0);
    }

    [Fact]
    public async Task Post_StoreFailsToComplete_StillAnswers200()
    {
        await using var host = await ReceiverHost.StartAsync(services => services
            .AddWebhookReceiver(o => o.UseScheme(new TestScheme()))
            .AddHandler<OrderCreated, RecordingOrderHandler>("order.created")
            .UseIdempotencyStore<CompleteFailingStore>());

        var response = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.Count.Should().Be(1);
    }

    [Fact]
    public async Task Post_Logs_NeverContainSecretsSignaturesOrBodies()
    {
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        await using var host = await ReceiverHost.StartAsync(services =>
        {
            services.AddFakeLogging();
            services.AddWebhookReceiver(o => o.Secrets.Add(secret)).AddHandler<OrderCreated>("order.created", (_, _) => throw new InvalidOperationException("boom"));
        });

        await host.SendAsync(c => StandardSigner.Sign(c, TestBodies.Envelope("order.created", """{"orderId":1,"customer":"SECRET-CUSTOMER"}"""), id: "msg_log"));
        await host.SendAsync(c => StandardSigner.Sign(c, TestBodies.Envelope("order.created", """{"orderId":"BODY-TEXT"}"""), id: "msg_log2"));
        await host.SendAsync(c => { StandardSigner.Sign(c, TestBodies.Envelope("order.created", "{}"), id: "msg_log3"); c.Request.Headers["webhook-signature"] = "v1,Zm9yZ2VkLXNpZ25hdHVyZQ=="; });

        var logs = host.Services.GetFakeLogCollector().GetSnapshot();
        logs.Should().NotBeEmpty();
        var text = string.Join("\n", logs.Select(l => l.Message + " " + l.Exception));
        text.Should().Contain("msg_log").And.NotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .And.NotContain("SECRET-CUSTOMER").And.NotContain("BODY-TEXT").And.NotContain("Zm9yZ2VkLXNpZ25hdHVyZQ");
    }

    [Fact]
    public async Task Post_StandardBodyWithoutTypeAndNoFallback_WarnsNamingTheReceiverCountsAndAnswersTheUnhandledStatus()
    {
        await using var host = await ReceiverHost.StartAsync(services =>
        {
            services.AddFakeLogging();
            services.AddWebhookReceiver(o => o.UseStandardWebhooks(StandardSigner.EncodedSecret))
                .AddHandler<OrderCreated, RecordingOrderHandler>("order.created");
        });
        using var requests = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), WebhookReceiverMetrics.MeterName, WebhookReceiverMetrics.RequestsName);

        var context = await host.SendAsync(c => StandardSigner.Sign(c, TestBodies.Utf8("""{"data":{"orderId":1}}"""), id: "msg_untyped"));

        context.Response.StatusCode.Should().Be(StatusCodes.Status200OK, "like any event this app has no handler for (UnhandledEventStatusCode)");
        host.Calls.Count.Should().Be(0);
        var warning = host.Services.GetFakeLogCollector().GetSnapshot().Should().ContainSingle(l => l.Id.Id == 11).Subject;
        warning.Level.Should().Be(Microsoft.Extensions.Logging.LogLevel.Warning);
        warning.Message.Should().Contain("'(default)'").And.Contain("msg_untyped").And.Contain("AddFallbackHandler");
        requests.GetMeasurementSnapshot().Should().ContainSingle()
            .Which.Tags[WebhookReceiverMetrics.OutcomeTag].Should().Be(WebhookReceiverOutcome.MissingEventType);
    }

    [Fact]
    public async Task Post_StandardBodyWithoutType_FallbackHandlerReceivesItWithoutWarning()
    {
        await using var host = await ReceiverHost.StartAsync(services =>
        {
            services.AddFakeLogging();
            services.AddWebhookReceiver(o => o.UseStandardWebhooks(StandardSigner.EncodedSecret))
                .AddFallbackHandler((ctx, _) =>
                {
                    ctx.Services.GetRequiredService<HandlerCalls>().Add("fallback", ctx, ctx.Data.Clone());
                    return Task.CompletedTask;
                });
        });

        var context = await host.SendAsync(c => StandardSigner.Sign(c, TestBodies.Utf8("""{"data":{"orderId":1}}"""), id: "msg_untyped"));

        context.Response.StatusCode.Should().Be(StatusCodes.Status200OK);
        host.Calls.All.Should().ContainSingle().Which.EventType.Should().BeEmpty();
        host.Services.GetFakeLogCollector().GetSnapshot().Should().NotContain(l => l.Id.Id == 11);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Post_GenuineNonJsonBody_400WhetherOrNotAHandlerWouldTakeIt(bool fallback)
    {
        await using var host = await ReceiverHost.StartAsync(services =>
        {
            var receiver = services.AddWebhookReceiver(o => o.UseScheme(new TestScheme()))
                .AddHandler<OrderCreated, RecordingOrderHandler>("order.created");
            if (fallback)
            {
                receiver.AddFallbackHandler((ctx, _) =>
                {
                    ctx.Services.GetRequiredService<HandlerCalls>().Add("fallback", ctx, null);
                    return Task.CompletedTask;
                });
            }
        });

        var response = await host.Client.SendAsync(TestScheme.Request("msg_text", "note.added", "plain words, not JSON"));
        var json = await host.Client.SendAsync(TestScheme.Request("msg_json", "note.added", """{"note":1}"""));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("not valid JSON");
        json.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.Count.Should().Be(fallback ? 1 : 0, "only the JSON body reaches the fallback handler");
    }

    [Fact]
    public async Task Post_DefaultReceiver_LogsNameIt()
    {
        await using var host = await ReceiverHost.StartAsync(services =>
        {
            services.AddFakeLogging();
            services.AddWebhookReceiver(o => o.UseScheme(new TestScheme()));
        });

        await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", "{}", signature: "bad"));

        var logs = host.Services.GetFakeLogCollector().GetSnapshot().Where(l => l.Category == "Webhooks.Receiver").ToList();
        logs.Should().NotBeEmpty().And.OnlyContain(l => l.Message.StartsWith("Webhook receiver '(default)'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_Handler_ReadsTheVerifiedRawBodyThenItsBufferIsReturned()
    {
        var pool = new CountingArrayPool();
        var body = TestBodies.Envelope("order.created", """{"orderId":42,  "customer":"ada"}""");
        byte[]? seen = null;
        long heldDuringHandler = 0;
        await using var host = await ReceiverHost.StartAsync(services =>
        {
            services.AddSingleton(new WebhookBodyPool(pool));
            services.AddWebhookReceiver(o => o.UseStandardWebhooks(StandardSigner.EncodedSecret))
                .AddHandler<OrderCreated>("order.created", (ctx, _) =>
                {
                    seen = ctx.RawBody.ToArray();
                    heldDuringHandler = pool.OutstandingBytes;
                    return Task.CompletedTask;
                });
        });

        var context = await host.SendAsync(c => StandardSigner.Sign(c, body, id: "msg_raw"));

        context.Response.StatusCode.Should().Be(StatusCodes.Status200OK);
        seen.Should().Equal(body, "the whole signed envelope, byte for byte, not only its data");
        heldDuringHandler.Should().BeGreaterThanOrEqualTo(body.Length);
        pool.OutstandingBytes.Should().Be(0, "the buffer goes back once the handlers are done");
    }

    internal static Task<ReceiverHost> StartAsync(Action<WebhookReceiverOptions>? configure = null) =>
        ReceiverHost.StartAsync(services => services
            .AddWebhookReceiver(o =>
            {
                o.UseScheme(new TestScheme());
                configure?.Invoke(o);
            })
            .AddHandler<OrderCreated, RecordingOrderHandler>("order.created"));

    private static void SignTest(HttpContext context, string id)
    {
        context.Request.Headers[TestScheme.IdHeader] = id;
        context.Request.Headers[TestScheme.TypeHeader] = "order.created";
        context.Request.Headers[TestScheme.SignatureHeader] = "ok";
    }

    private static HttpRequestMessage WithPath(HttpRequestMessage request, string path)
    {
        request.RequestUri = new Uri(path, UriKind.Relative);
        return request;
    }

    public sealed class FailingStore : Webhooks.Receiver.Idempotency.IWebhookIdempotencyStore
    {
        public ValueTask<Webhooks.Receiver.Idempotency.WebhookIdempotencyStatus> TryBeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("cache down");

        public ValueTask CompleteAsync(string key, TimeSpan retention, CancellationToken cancellationToken) => throw new InvalidOperationException("cache down");

        public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken) => throw new InvalidOperationException("cache down");
    }

    public sealed class CompleteFailingStore : Webhooks.Receiver.Idempotency.IWebhookIdempotencyStore
    {
        public ValueTask<Webhooks.Receiver.Idempotency.WebhookIdempotencyStatus> TryBeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken) =>
            new(Webhooks.Receiver.Idempotency.WebhookIdempotencyStatus.Acquired);

        public ValueTask CompleteAsync(string key, TimeSpan retention, CancellationToken cancellationToken) => throw new InvalidOperationException("cache down");

        public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken) => throw new InvalidOperationException("cache down");
    }

    /// <summary>A body that counts what the server read.</summary>
    private sealed class CountingStream(byte[] data) : MemoryStream(data)
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Count(base.Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(Count(base.Read(buffer.Span)));

        private int Count(int read)
        {
            BytesRead += read;
            return read;
        }
    }

    /// <summary>A body that fails like an aborted or reset connection after a few bytes.</summary>
    private sealed class ThrowingStream(Exception exception) : MemoryStream("{\"ord"u8.ToArray())
    {
        private bool _sent;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_sent)
            {
                throw exception;
            }

            _sent = true;
            return new(base.Read(buffer.Span));
        }
    }
}
