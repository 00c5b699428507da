using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Receiver.Idempotency;

namespace Webhooks.Receiver.Tests;

public sealed class WebhookReceiverBuilderExtensionsTests
{
    [Fact]
    public async Task AddHandler_ClassHandler_ReceivesTypedDataIdTypeTimestampAndHeaders()
    {
        await using var host = await StartAsync(b => b.AddHandler<OrderCreated, RecordingOrderHandler>("order.created"));

        using var request = TestScheme.Request("msg_1", "order.created", """{"orderId":42,"customer":"ada"}""");
        request.Headers.Add("x-extra", "kept");
        var response = await host.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var context = host.Calls.All.Should().ContainSingle().Subject;
        context.Data.Should().Be(new OrderCreated(42, "ada"));
        context.MessageId.Should().Be("msg_1");
        context.EventType.Should().Be("order.created");
        context.Timestamp.Should().Be(ReceiverHost.Start);
        context.ReceiverName.Should().BeEmpty();
        context.Headers["x-extra"].Should().Be("kept");
    }

    [Fact]
    public async Task AddHandler_SeveralHandlersForOneType_AllRunInRegistrationOrder()
    {
        await using var host = await StartAsync(b => b
            .AddHandler<OrderCreated, RecordingOrderHandler>("order.created")
            .AddHandler<OrderCreated>("order.created", (ctx, _) => Record(ctx, "second"))
            .AddHandler<JsonElement>("order.created", (ctx, _) => Record(ctx, "third")));

        var response = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.All.Select(c => c.Handler).Should().Equal(nameof(RecordingOrderHandler), "second", "third");
        host.Calls.All.Last().Data.Should().BeOfType<JsonElement>().Which.GetProperty("orderId").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task AddHandler_Delegate_ResolvesServicesFromTheRequestScope()
    {
        await using var host = await StartAsync(b => b.AddHandler<OrderCreated>("order.created", (ctx, _) =>
        {
            ctx.Services.GetRequiredService<HandlerCalls>().Add("delegate", ctx, ctx.Data);
            return Task.CompletedTask;
        }));

        var response = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":7}"""));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.All.Should().ContainSingle().Which.Data.Should().Be(new OrderCreated(7));
    }

    [Fact]
    public async Task AddFallbackHandler_EventWithoutHandler_FallbackReceivesJsonElement()
    {
        await using var host = await StartAsync(b => b
            .AddHandler<OrderCreated, RecordingOrderHandler>("order.created")
            .AddFallbackHandler<FallbackHandler>());

        var response = await host.Client.SendAsync(TestScheme.Request("msg_1", "invoice.paid", """{"invoice":"in_1"}"""));
        var handled = await host.Client.SendAsync(TestScheme.Request("msg_2", "order.created", """{"orderId":3}"""));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        handled.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.All.Select(c => c.Handler).Should().Equal(nameof(FallbackHandler), nameof(RecordingOrderHandler));
        host.Calls.All.First().Data.Should().BeOfType<JsonElement>().Which.GetProperty("invoice").GetString().Should().Be("in_1");
    }

    [Fact]
    public async Task AddFallbackHandler_Delegate_HandlesUnknownTypes()
    {
        await using var host = await StartAsync(b => b.AddFallbackHandler((ctx, _) => Record(ctx, "fallback")));

        var response = await host.Client.SendAsync(TestScheme.Request("msg_1", "anything.at_all", "[1,2]"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.All.Should().ContainSingle().Which.Handler.Should().Be("fallback");
    }

    [Fact]
    public async Task AddHandler_ScopedDependency_OneInstancePerRequestSharedByItsHandlers()
    {
        await using var host = await StartAsync(
            b => b.AddHandler<OrderCreated, ScopedUserHandler>("order.created").AddHandler<OrderCreated, ScopedUserHandler>("order.created"),
            services => services.AddScoped<FakeDbContext>());

        await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":1}"""));
        await host.Client.SendAsync(TestScheme.Request("msg_2", "order.created", """{"orderId":2}"""));

        var contexts = host.Calls.All.Select(c => (FakeDbContext)c.Data!).ToList();
        contexts.Should().HaveCount(4);
        contexts[0].Should().BeSameAs(contexts[1]);
        contexts[2].Should().BeSameAs(contexts[3]);
        contexts[0].Should().NotBeSameAs(contexts[2]);
        contexts[0].Disposed.Should().BeTrue("the request's scope ends with the request");
    }

    [Fact]
    public async Task AddHandler_UnknownEventWithoutFallback_Answers200AndCallsNothing()
    {
        await using var host = await StartAsync(b => b.AddHandler<OrderCreated, RecordingOrderHandler>("order.created"));

        var response = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.deleted", """{"orderId":1}"""));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.Count.Should().Be(0);
    }

    [Fact]
    public async Task AddHandler_UnhandledEventStatusCodeConfigured_AnswersIt()
    {
        await using var host = await StartAsync(b => b.Configure(o => o.UnhandledEventStatusCode = 404));

        var response = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.deleted", "{}"));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public void AddHandler_PayloadTypeWithoutAttribute_ThrowsNamingTheType()
    {
        var services = new ServiceCollection();
        var builder = services.AddWebhookReceiver(o => o.UseScheme(new TestScheme()));

        var act = () => builder.AddHandler<string>((_, _) => Task.CompletedTask);

        act.Should().Throw<InvalidOperationException>().WithMessage("*String*");
    }

    [Fact]
    public async Task AddHandler_EventTypeFromAttribute_Routes()
    {
        await using var host = await StartAsync(b => b.AddHandler<OrderCreated, RecordingOrderHandler>());

        var response = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":5}"""));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.All.Should().ContainSingle().Which.Data.Should().Be(new OrderCreated(5));
    }

    [Fact]
    public async Task AddHandler_SourceGeneratedJsonMetadata_IsUsed()
    {
        await using var host = await StartAsync(b => b
            .Configure(o => o.JsonSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = ReceiverTestJsonContext.Default })
            .AddHandler<OrderCreated, RecordingOrderHandler>("order.created"));

        var response = await host.Client.SendAsync(TestScheme.Request("msg_1", "order.created", """{"orderId":9}"""));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Calls.All.Should().ContainSingle().Which.Data.Should().Be(new OrderCreated(9));
    }

    [Fact]
    public async Task AddHandler_ResolverWithoutThePayloadType_FailsAtStartNamingTheType()
    {
        var act = () => StartAsync(b => b
            .Configure(o => o.JsonSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = ReceiverTestJsonContext.Default })
            .AddHandler<OrderShipped>("order.shipped", (_, _) => Task.CompletedTask));

        (await act.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>())
            .WithMessage("*cannot read the payload type*OrderShipped*");
    }

    [Fact]
    public void UseDistributedCacheIdempotency_ReplacesTheStore()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddWebhookReceiver(o => o.UseScheme(new TestScheme())).UseDistributedCacheIdempotency();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IWebhookIdempotencyStore>().Should().BeOfType<DistributedCacheWebhookIdempotencyStore>();
    }

    [Fact]
    public void UseIdempotencyStore_ReplacesTheStore()
    {
        var services = new ServiceCollection();
        services.AddWebhookReceiver(o => o.UseScheme(new TestScheme())).UseIdempotencyStore<NeverSeenStore>();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IWebhookIdempotencyStore>().Should().BeOfType<NeverSeenStore>();
    }

    internal static Task<ReceiverHost> StartAsync(Action<IWebhookReceiverBuilder> configure, Action<IServiceCollection>? services = null) =>
        ReceiverHost.StartAsync(s =>
        {
            services?.Invoke(s);
            configure(s.AddWebhookReceiver(o => o.UseScheme(new TestScheme())));
        });

    private static Task Record<T>(WebhookContext<T> context, string name)
    {
        context.Services.GetRequiredService<HandlerCalls>().Add(name, context, context.Data);
        return Task.CompletedTask;
    }

    public sealed class FallbackHandler(HandlerCalls calls) : IWebhookHandler<JsonElement>
    {
        public Task HandleAsync(WebhookContext<JsonElement> context, CancellationToken cancellationToken)
        {
            calls.Add(nameof(FallbackHandler), context, context.Data);
            return Task.CompletedTask;
        }
    }

    public sealed class FakeDbContext : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    public sealed class ScopedUserHandler(HandlerCalls calls, FakeDbContext db) : IWebhookHandler<OrderCreated>
    {
        public Task HandleAsync(WebhookContext<OrderCreated> context, CancellationToken cancellationToken)
        {
            calls.Add(nameof(ScopedUserHandler), context, db);
            return Task.CompletedTask;
        }
    }

    public sealed class NeverSeenStore : IWebhookIdempotencyStore
    {
        public ValueTask<WebhookIdempotencyStatus> TryBeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken) => new(WebhookIdempotencyStatus.Acquired);

        public ValueTask CompleteAsync(string key, TimeSpan retention, CancellationToken cancellationToken) => default;

        public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken) => default;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(OrderCreated))]
internal sealed partial class ReceiverTestJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
