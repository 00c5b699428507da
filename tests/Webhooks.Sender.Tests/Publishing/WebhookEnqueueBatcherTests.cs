using System.Threading.Channels;
using Webhooks.Core;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Publishing;

/// <summary>
/// Group commit for publishing: the store's writes are held by <see cref="EnqueueGates"/> so each test decides when a
/// write ends, and what arrived meanwhile is seen in the next write. No sleeps, no timers.
/// </summary>
public sealed class WebhookEnqueueBatcherTests
{
    private static readonly AsyncLocal<string?> Ambient = new();

    private readonly ObservedStore _store = new(new InMemoryWebhookStore()) { GroupEnqueue = true };
    private readonly EnqueueGates _gates = new();

    public WebhookEnqueueBatcherTests()
    {
        _store.EnqueueGate = _gates.EnterAsync;
    }

    [Fact]
    public async Task LoneCaller_IsWrittenAtOnceOnItsOwnFlow()
    {
        var batcher = new WebhookEnqueueBatcher(_store, 256);
        Ambient.Value = "lone caller";

        var publish = batcher.EnqueueAsync(Item("msg_lone"), CancellationToken.None);
        var write = await _gates.NextAsync();

        write.Call.Batch.Should().BeFalse("a lone caller is written with EnqueueAsync, at once");
        write.Call.Messages.Select(m => m.Id).Should().Equal("msg_lone");
        write.Ambient.Should().Be("lone caller", "the lone caller's write runs in its own flow, with no hop");
        write.Release.SetResult();
        (await publish).MessageId.Should().Be("msg_lone");
        batcher.Flushes.Should().Be(1);
        batcher.Unstored.Should().Be(0);
    }

    [Fact]
    public async Task CallersArrivingDuringAWrite_AreWrittenTogetherByTheNextWrite_WithoutTheFirstCallersContext()
    {
        var batcher = new WebhookEnqueueBatcher(_store, 256);
        var first = WithAmbient("first caller", () => batcher.EnqueueAsync(Item("msg_1"), CancellationToken.None));
        var held = await _gates.NextAsync();

        var others = new[] { "msg_2", "msg_3", "msg_4" }.Select(id => batcher.EnqueueAsync(Item(id), CancellationToken.None)).ToArray();
        others.Should().OnlyContain(t => !t.IsCompleted, "they wait for the write under way");
        batcher.Unstored.Should().Be(4);
        held.Release.SetResult();
        var next = await _gates.NextAsync();
        next.Release.SetResult();

        (await first).MessageId.Should().Be("msg_1");
        (await Task.WhenAll(others)).Select(r => r.MessageId).Should().Equal("msg_2", "msg_3", "msg_4");
        next.Call.Batch.Should().BeTrue();
        next.Call.Messages.Select(m => m.Id).Should().Equal("msg_2", "msg_3", "msg_4");
        next.Ambient.Should().BeNull("the group write carries no caller's execution context");
        _store.EnqueueManyCalls.Should().Be((1, 3));
        batcher.Flushes.Should().Be(2);
        (await _store.GetMessageAsync("msg_3")).Should().NotBeNull();
    }

    [Fact]
    public async Task GroupWrites_CarryAtMostTheBatchSize()
    {
        var batcher = new WebhookEnqueueBatcher(_store, 2);
        var first = batcher.EnqueueAsync(Item("msg_0"), CancellationToken.None);
        var held = await _gates.NextAsync();
        var others = Enumerable.Range(1, 5).Select(i => batcher.EnqueueAsync(Item($"msg_{i}"), CancellationToken.None)).ToArray();
        held.Release.SetResult();

        var sizes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var write = await _gates.NextAsync();
            sizes.Add(write.Call.Messages.Count);
            write.Release.SetResult();
        }

        await first;
        (await Task.WhenAll(others)).Select(r => r.MessageId).Should().Equal("msg_1", "msg_2", "msg_3", "msg_4", "msg_5");
        sizes.Should().Equal(2, 2, 1);
    }

    [Fact]
    public async Task AFailedGroupWrite_IsRetriedOneByOne_AndOnlyTheBadItemsCallerSeesTheException()
    {
        var batcher = new WebhookEnqueueBatcher(_store, 256);
        var failure = new InvalidOperationException("this message is refused");
        _store.EnqueueFailure = m => m.Id == "msg_bad" ? failure : null;
        var first = batcher.EnqueueAsync(Item("msg_1"), CancellationToken.None);
        var held = await _gates.NextAsync();
        var good1 = batcher.EnqueueAsync(Item("msg_2"), CancellationToken.None);
        var bad = batcher.EnqueueAsync(Item("msg_bad"), CancellationToken.None);
        var good2 = batcher.EnqueueAsync(Item("msg_3"), CancellationToken.None);
        held.Release.SetResult();

        var batch = await _gates.NextAsync();
        batch.Call.Batch.Should().BeTrue();
        batch.Release.SetResult();
        var retries = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var retry = await _gates.NextAsync();
            retry.Call.Batch.Should().BeFalse();
            retries.Add(retry.Call.Messages.Single().Id);
            retry.Release.SetResult();
        }

        await first;
        (await good1).MessageId.Should().Be("msg_2");
        (await good2).MessageId.Should().Be("msg_3");
        (await bad.Invoking(t => t).Should().ThrowAsync<InvalidOperationException>()).Which.Should().BeSameAs(failure);
        retries.Should().Equal("msg_2", "msg_bad", "msg_3");
        (await _store.GetMessageAsync("msg_bad")).Should().BeNull();
        (await _store.GetMessageAsync("msg_3")).Should().NotBeNull();
        batcher.Unstored.Should().Be(0);
    }

    [Fact]
    public async Task ALoneWriteThatFails_FailsItsCallerAndTheQueueIsStillWritten()
    {
        var batcher = new WebhookEnqueueBatcher(_store, 256);
        _store.EnqueueFailure = m => m.Id == "msg_bad" ? new InvalidOperationException("refused") : null;
        var bad = batcher.EnqueueAsync(Item("msg_bad"), CancellationToken.None);
        var held = await _gates.NextAsync();
        var next = batcher.EnqueueAsync(Item("msg_next"), CancellationToken.None);
        held.Release.SetResult();
        (await _gates.NextAsync()).Release.SetResult();

        await bad.Invoking(t => t).Should().ThrowAsync<InvalidOperationException>();
        (await next).MessageId.Should().Be("msg_next");
    }

    [Fact]
    public async Task ACancelledCallerWhoseItemWasNotTaken_IsRemovedAndGetsOperationCanceled()
    {
        var batcher = new WebhookEnqueueBatcher(_store, 256);
        var first = batcher.EnqueueAsync(Item("msg_1"), CancellationToken.None);
        var held = await _gates.NextAsync();
        using var cts = new CancellationTokenSource();
        var cancelled = batcher.EnqueueAsync(Item("msg_cancelled"), cts.Token);
        var kept = batcher.EnqueueAsync(Item("msg_kept"), CancellationToken.None);

        await cts.CancelAsync();
        await cancelled.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        batcher.Unstored.Should().Be(2);
        held.Release.SetResult();
        var next = await _gates.NextAsync();
        next.Release.SetResult();

        await first;
        (await kept).MessageId.Should().Be("msg_kept");
        next.Call.Messages.Select(m => m.Id).Should().Equal("msg_kept");
        (await _store.GetMessageAsync("msg_cancelled")).Should().BeNull();
    }

    [Fact]
    public async Task ACancelledCallerWhoseItemIsBeingWritten_GetsItsResult()
    {
        var batcher = new WebhookEnqueueBatcher(_store, 256);
        var first = batcher.EnqueueAsync(Item("msg_1"), CancellationToken.None);
        var held = await _gates.NextAsync();
        using var cts = new CancellationTokenSource();
        var taken = batcher.EnqueueAsync(Item("msg_taken"), cts.Token);
        var other = batcher.EnqueueAsync(Item("msg_other"), CancellationToken.None);
        held.Release.SetResult();
        var write = await _gates.NextAsync();

        await cts.CancelAsync();
        write.Release.SetResult();

        (await taken).MessageId.Should().Be("msg_taken", "once its item is in a write, the write goes on");
        (await other).MessageId.Should().Be("msg_other");
        await first;
        (await _store.GetMessageAsync("msg_taken")).Should().NotBeNull();
    }

    [Fact]
    public async Task ACallerCancelledBeforeItCalls_IsNotWritten()
    {
        var batcher = new WebhookEnqueueBatcher(_store, 256);

        var publish = batcher.EnqueueAsync(Item("msg_never"), new CancellationToken(canceled: true));

        await publish.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        batcher.Flushes.Should().Be(0);
        batcher.Unstored.Should().Be(0);
    }

    [Fact]
    public async Task Publisher_OnAGroupStore_CombinesConcurrentPublishes_AndWritesACallerInItsOwnTransactionAlone()
    {
        await using var h = SenderHarness.Create();
        h.Store.GroupEnqueue = true;
        h.Store.OwnTransaction = () => Ambient.Value == "own transaction";
        var gates = new EnqueueGates();
        h.Store.EnqueueGate = gates.EnterAsync;

        var first = h.Publisher.PublishAsync(new OrderCreated(1), TestJsonContext.Default.OrderCreated);
        var held = await gates.NextAsync();
        var queued = h.Publisher.PublishAsync(new OrderCreated(2), TestJsonContext.Default.OrderCreated);
        var queued2 = h.Publisher.PublishAsync(new OrderCreated(3), TestJsonContext.Default.OrderCreated);
        var own = WithAmbient("own transaction", () => h.Publisher.PublishAsync(new OrderCreated(4), TestJsonContext.Default.OrderCreated));

        // The caller in its own transaction does not wait for the group: it is written at once, alone, in its flow.
        var alone = await gates.NextAsync();
        alone.Call.Batch.Should().BeFalse();
        alone.Ambient.Should().Be("own transaction");
        alone.Release.SetResult();
        var ownId = await own;
        alone.Call.Messages.Single().Id.Should().Be(ownId);
        queued.IsCompleted.Should().BeFalse();

        held.Release.SetResult();
        var group = await gates.NextAsync();
        group.Release.SetResult();
        var ids = new[] { await first, await queued, await queued2 };

        group.Call.Batch.Should().BeTrue();
        group.Call.Messages.Select(m => m.Id).Should().Equal(ids[1], ids[2]);
        (await h.Deliveries.ListMessagesAsync()).Items.Should().HaveCount(4);
    }

    [Fact]
    public async Task Publisher_OnAStoreThatCannotGroup_WritesEachPublishItself()
    {
        await using var h = SenderHarness.Create();
        var gates = new EnqueueGates();
        h.Store.EnqueueGate = gates.EnterAsync;

        var first = h.Publisher.PublishAsync(new OrderCreated(1), TestJsonContext.Default.OrderCreated);
        var second = h.Publisher.PublishAsync(new OrderCreated(2), TestJsonContext.Default.OrderCreated);
        var writes = new[] { await gates.NextAsync(), await gates.NextAsync() };
        foreach (var write in writes)
        {
            write.Release.SetResult();
        }

        await first;
        await second;
        writes.Should().OnlyContain(w => !w.Call.Batch && w.Call.Messages.Count == 1, "two writes were under way at once");
        h.Store.EnqueueManyCalls.Calls.Should().Be(0);
    }

    private static Task<T> WithAmbient<T>(string value, Func<Task<T>> call)
    {
        // The value stays with this flow (and what it starts) only.
        var previous = Ambient.Value;
        Ambient.Value = value;
        try
        {
            return call();
        }
        finally
        {
            Ambient.Value = previous;
        }
    }

    private static WebhookEnqueueItem Item(string messageId) => new(
        new WebhookMessage
        {
            Id = messageId,
            EventType = "order.created",
            Payload = "{}"u8.ToArray(),
            CreatedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero),
        },
        []);

    /// <summary>Holds every store write until the test releases it, and tells the test about it.</summary>
    private sealed class EnqueueGates
    {
        private readonly Channel<Write> _writes = Channel.CreateUnbounded<Write>();

        public Task EnterAsync(ObservedStore.EnqueueCall call)
        {
            var write = new Write(call, Ambient.Value, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _writes.Writer.TryWrite(write);
            return write.Release.Task;
        }

        public async Task<Write> NextAsync() => await _writes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }

    private sealed record Write(ObservedStore.EnqueueCall Call, string? Ambient, TaskCompletionSource Release);
}
