using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.PostgreSql.Tests.Testing;
using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Sender.PostgreSql.Tests;

/// <summary>
/// What an endpoint answers never keeps its outcome from being stored: PostgreSQL refuses U+0000 in <c>text</c> and
/// <c>jsonb</c> (22021, 22P05), and a refused completion used to leave the delivery in flight, sent again at every lease.
/// </summary>
public sealed class PostgreSqlHostileDataTests : IAsyncLifetime
{
    private readonly PostgresSchemas _schemas = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schemas.DisposeAsync();

    [Fact]
    public async Task Dispatcher_EndpointAnsweringOkWithNulCharacters_RecordsOneSucceededAttemptAndSendsOnce()
    {
        var schema = _schemas.New();
        await using var endpoint = new RawHttpEndpoint(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Hostile: a\0b\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\0");
        await using var sender = await PostgresSenderHost.StartAsync(schema);
        await sender.Subscriptions.CreateAsync(new WebhookSubscriptionCreateRequest(endpoint.Url) { EventTypes = ["order.*"] });

        var messageId = await sender.Publisher.PublishAsync("order.created", new { Id = 1 });
        await endpoint.FirstRequest.WaitAsync(TimeSpan.FromSeconds(60));
        var delivery = await WaitForFinishedAsync(sender.Store, messageId, TimeSpan.FromSeconds(60));

        delivery.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        delivery.AttemptCount.Should().Be(1);
        var attempt = (await sender.Store.ListAttemptsAsync(new() { DeliveryId = delivery.Id })).Items.Should().ContainSingle().Subject;
        attempt.Succeeded.Should().BeTrue();
        attempt.StatusCode.Should().Be(200);
        attempt.ResponseExcerpt.Should().Be("ok\uFFFD", "U+0000 is replaced, the rest kept");
        attempt.ResponseHeaders.Should().ContainKey("X-Hostile").WhoseValue.Should().HaveLength(3).And.NotContain("\0");
        endpoint.Requests.Should().Be(1);
    }

    [Fact]
    public async Task CompleteMany_WhenTheServerRefusesOneAttemptsData_StoresItWithoutTheResponseAndKeepsTheOthers()
    {
        var schema = _schemas.New();
        var store = await _schemas.NewStoreAsync(_time, schema);
        await RefuseExcerptsStartingWithPoisonAsync(schema);
        var data = new StoreData(_time);
        await data.EnqueueAsync(store, "sub_a", "sub_b");
        var claims = await store.ClaimAsync(StoreData.Claim(2, "w"));
        var poisoned = data.Completion(claims[0], WebhookDeliveryStatus.Succeeded);
        poisoned = poisoned with { Attempt = poisoned.Attempt! with { ResponseExcerpt = "poison", ResponseHeaders = new Dictionary<string, string> { ["X-A"] = "1" } } };
        var clean = data.Completion(claims[1], WebhookDeliveryStatus.Succeeded);
        clean = clean with { Attempt = clean.Attempt! with { ResponseExcerpt = "fine" } };

        var results = await store.CompleteManyAsync([poisoned, clean]);

        results.Should().Equal(WebhookCompletionResult.Completed, WebhookCompletionResult.Completed);
        var reduced = (await store.ListAttemptsAsync(new() { DeliveryId = poisoned.DeliveryId })).Items.Should().ContainSingle().Subject;
        reduced.StatusCode.Should().Be(200);
        reduced.Succeeded.Should().BeTrue();
        reduced.ResponseExcerpt.Should().BeNull();
        reduced.ResponseHeaders.Should().BeEmpty();
        reduced.ErrorMessage.Should().Contain("not stored").And.Contain("22021");
        (await store.GetDeliveryAsync(poisoned.DeliveryId))!.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        (await store.ListAttemptsAsync(new() { DeliveryId = clean.DeliveryId })).Items.Should().ContainSingle().Which.ResponseExcerpt.Should().Be("fine");
    }

    [Fact]
    public async Task Complete_WhenTheServerRefusesTheAttemptsData_CountsTheAttemptAndKeepsTheRetrySchedule()
    {
        var schema = _schemas.New();
        var store = await _schemas.NewStoreAsync(_time, schema);
        await RefuseExcerptsStartingWithPoisonAsync(schema);
        var data = new StoreData(_time);
        await data.EnqueueAsync(store, "sub_a");
        var claim = (await store.ClaimAsync(StoreData.Claim(1, "w"))).Single();
        var retryAt = _time.GetUtcNow().AddSeconds(30);
        var completion = data.Completion(claim, WebhookDeliveryStatus.Pending) with { NextAttemptAt = retryAt };
        completion = completion with { Attempt = completion.Attempt! with { ResponseExcerpt = "poison" } };

        (await store.CompleteAsync(completion)).Should().Be(WebhookCompletionResult.Completed);

        var delivery = await store.GetDeliveryAsync(claim.Delivery.Id);
        delivery!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        delivery.AttemptCount.Should().Be(1);
        delivery.NextAttemptAt.Should().Be(retryAt);
        (await store.ListAttemptsAsync(new() { DeliveryId = claim.Delivery.Id })).Items.Should().ContainSingle().Which.ResponseExcerpt.Should().BeNull();
    }

    /// <summary>A trigger that refuses some attempts with 22021, as the server does for text it cannot hold.</summary>
    private static async Task RefuseExcerptsStartingWithPoisonAsync(string schema)
    {
        await using var command = PostgresTestDatabase.DataSource.CreateCommand($$"""
            CREATE FUNCTION "{{schema}}".refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF NEW.response_excerpt LIKE 'poison%' THEN
                    RAISE EXCEPTION 'invalid byte sequence (test)' USING ERRCODE = '22021';
                END IF;
                RETURN NEW;
            END $f$;
            CREATE TRIGGER refuse_poison BEFORE INSERT ON "{{schema}}".attempts FOR EACH ROW EXECUTE FUNCTION "{{schema}}".refuse_poison();
            """);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Polls the store (the outcome is written after the attempt ends) until the message's delivery is finished.</summary>
    private static async Task<WebhookDelivery> WaitForFinishedAsync(IWebhookStore store, string messageId, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var delivery = (await store.ListDeliveriesAsync(new() { MessageId = messageId })).Items.SingleOrDefault();
            if (delivery is { Status: WebhookDeliveryStatus.Succeeded or WebhookDeliveryStatus.Failed })
            {
                return delivery;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"The delivery of {messageId} did not finish within {timeout}; it is {delivery?.Status} after {delivery?.AttemptCount} recorded attempts.");
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }
}
