using Microsoft.Extensions.Time.Testing;
using Webhooks.Core;
using Webhooks.Sender.PostgreSql.Tests.Testing;
using Webhooks.Sender.Storage;

namespace Webhooks.Sender.PostgreSql.Tests.Data;

/// <summary>
/// Writes the schema-1 fixture (schema <c>webhooks_fixture_v1</c>) with the store as it was at schema version 1, for
/// <c>pg_dump --schema=webhooks_fixture_v1 --no-owner --column-inserts</c>. Used once, before schema 2, then removed.
/// </summary>
public sealed class Schema1FixtureGenerator
{
    [Fact]
    public async Task Generate()
    {
        const string Schema = "webhooks_fixture_v1";
        await PostgresTestDatabase.DropSchemaAsync(Schema);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new PostgreSqlWebhookStore(PostgresTestDatabase.DataSource, PostgresTestDatabase.Options(Schema), time);
        await store.InitializeAsync();
        var data = new StoreData(time);
        foreach (var (id, tenant, enabled) in new[] { ("sub_a", "acme", true), ("sub_b", (string?)null, true), ("sub_c", "acme", false) })
        {
            await store.CreateSubscriptionAsync(new WebhookSubscription
            {
                Id = id,
                TenantId = tenant,
                Url = new Uri("http://127.0.0.1:9/hooks"),
                Secrets = [new WebhookSubscriptionSecret(WebhookSecret.Generate(), time.GetUtcNow())],
                EventTypes = ["order.created"],
                Enabled = enabled,
                DisabledReason = enabled ? null : "paused by operator",
                Description = "fixture " + id,
                Metadata = new Dictionary<string, string> { ["team"] = "payments" },
                Headers = new Dictionary<string, string> { ["X-Fixture"] = id },
                CreatedAt = time.GetUtcNow(),
                UpdatedAt = time.GetUtcNow(),
            });
        }

        // A retry: claimed, answered 500, due again in a minute.
        var (_, retry) = await data.EnqueueAsync(store, "sub_a");
        var retryClaim = (await store.ClaimAsync(StoreData.Claim(1, "fixture"))).Single();
        await store.CompleteAsync(data.Completion(retryClaim, WebhookDeliveryStatus.Pending) with { NextAttemptAt = time.GetUtcNow().AddMinutes(1) });

        // Succeeded, and failed after two attempts.
        await data.EnqueueAsync(store, "sub_a");
        await store.CompleteAsync(data.Completion((await store.ClaimAsync(StoreData.Claim(1, "fixture"))).Single(), WebhookDeliveryStatus.Succeeded));
        await data.EnqueueAsync(store, "sub_b");
        var failing = (await store.ClaimAsync(StoreData.Claim(1, "fixture"))).Single();
        await store.CompleteAsync(data.Completion(failing, WebhookDeliveryStatus.Pending) with { NextAttemptAt = time.GetUtcNow() });
        var failed = (await store.ClaimAsync(StoreData.Claim(1, "fixture"))).Single();
        failed.Delivery.Id.Should().Be(failing.Delivery.Id);
        await store.CompleteAsync(data.Completion(failed, WebhookDeliveryStatus.Failed));

        // In flight, leased by an instance that then died: the retry (one attempt made, lease of 1 min) and a first attempt.
        time.Advance(TimeSpan.FromMinutes(2));
        (await store.ClaimAsync(StoreData.Claim(1, "fixture"))).Single().Delivery.Id.Should().Be(retry[0].Id);
        await data.EnqueueAsync(store, "sub_b");
        (await store.ClaimAsync(StoreData.Claim(1, "fixture", TimeSpan.FromMinutes(2)))).Should().ContainSingle();

        // Pending first attempts: one with an idempotency key and a tenant, a fan-out to two endpoints; and a message
        // that matched nobody.
        var pending = data.Message("acme") with { IdempotencyKey = "order-1" };
        await store.EnqueueAsync(pending, [data.Delivery(pending, "sub_a")]);
        await data.EnqueueAsync(store, "sub_a", "sub_b");
        await data.EnqueueAsync(store);

        (await store.CountUnfinishedAsync()).Should().Be(5);
    }
}
