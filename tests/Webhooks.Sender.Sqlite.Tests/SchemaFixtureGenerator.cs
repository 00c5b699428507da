using Microsoft.Extensions.Time.Testing;
using Webhooks.Core;
using Webhooks.Sender.Storage;

namespace Webhooks.Sender.Sqlite.Tests;

/// <summary>
/// Writes Data/schema2-fixture.db with the store as it was before the second schema design (schema version 2):
/// subscriptions, messages, and deliveries pending (first attempts and retries), in flight, failed and succeeded, with
/// attempts. The committed file was written at commit d3bf57a (schema version 2); run at that commit to make it again:
/// WEBHOOKS_WRITE_SQLITE_FIXTURE=&lt;path&gt; dotnet test --filter SchemaFixtureGenerator. Run with later code it writes
/// the current schema (which the upgrade test would then not exercise). Without the variable it checks the committed file.
/// </summary>
public sealed class SchemaFixtureGenerator
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Generate()
    {
        if (Environment.GetEnvironmentVariable("WEBHOOKS_WRITE_SQLITE_FIXTURE") is not { Length: > 0 } path)
        {
            // Not generating: the committed fixture is there, at the schema it was made with.
            using var fixture = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(AppContext.BaseDirectory, "Data", "schema2-fixture.db")};Pooling=False");
            fixture.Open();
            Webhooks.Sender.Sqlite.Internal.SqliteSchema.GetVersion(fixture).Should().Be(2);
            return;
        }

        File.Delete(path);
        var time = new FakeTimeProvider(Start);
        using (var store = new SqliteWebhookStore(new SqliteWebhookStoreOptions { ConnectionString = $"Data Source={path}" }, time))
        {
            var subscriptions = new[] { "sub_fixture_a", "sub_fixture_b", "sub_fixture_c" };
            for (var s = 0; s < subscriptions.Length; s++)
            {
                await store.CreateSubscriptionAsync(new WebhookSubscription
                {
                    Id = subscriptions[s],
                    TenantId = s == 2 ? "tenant-c" : null,
                    Url = new Uri($"https://fixture-{s}.example/hooks"),
                    Secrets = [new WebhookSubscriptionSecret(WebhookSecret.Generate(), Start)],
                    EventTypes = ["order.*"],
                    Metadata = new Dictionary<string, string> { ["n"] = s.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    CreatedAt = Start,
                    UpdatedAt = Start,
                });
            }

            // 60 messages, one delivery per subscription: 180 deliveries.
            for (var i = 0; i < 60; i++)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                var tenant = i % 10 == 0 ? "tenant-c" : null;
                var message = new WebhookMessage
                {
                    Id = $"msg_fixture_{i:D3}",
                    TenantId = tenant,
                    EventType = "order.created",
                    Payload = System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"order.created\",\"data\":{{\"n\":{i}}}}}"),
                    IdempotencyKey = i % 7 == 0 ? $"key-{i}" : null,
                    TraceParent = i % 5 == 0 ? "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" : null,
                    CreatedAt = time.GetUtcNow(),
                };
                var deliveries = subscriptions.Select(s => new WebhookDelivery
                {
                    Id = $"dlv_fixture_{i:D3}_{s[^1]}",
                    MessageId = message.Id,
                    SubscriptionId = s,
                    TenantId = tenant,
                    EventType = message.EventType,
                    Status = WebhookDeliveryStatus.Pending,
                    NextAttemptAt = time.GetUtcNow(),
                    CreatedAt = time.GetUtcNow(),
                }).ToArray();
                await store.EnqueueAsync(message, deliveries);
            }

            // 120 claimed: 40 succeed, 20 fail for good, 30 get a retry (pending, attempt 1), 30 stay in flight.
            var claims = await store.ClaimAsync(new WebhookClaimRequest { LeaseOwner = "fixture", MaxCount = 120, LeaseDuration = TimeSpan.FromMinutes(5), MaxPerSubscription = 120 });
            for (var k = 0; k < claims.Count; k++)
            {
                var d = claims[k].Delivery;
                if (k >= 90)
                {
                    continue;
                }

                var status = k < 40 ? WebhookDeliveryStatus.Succeeded : k < 60 ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending;
                var code = status == WebhookDeliveryStatus.Succeeded ? 204 : 503;
                await store.CompleteAsync(new WebhookDeliveryCompletion
                {
                    DeliveryId = d.Id,
                    LeaseId = d.LeaseId!,
                    Status = status,
                    NextAttemptAt = status == WebhookDeliveryStatus.Pending ? time.GetUtcNow().AddMinutes(1) : null,
                    FailureReason = status == WebhookDeliveryStatus.Failed ? "Gave up after 1 attempt: 503" : null,
                    Attempt = new WebhookAttempt
                    {
                        Id = $"atm_fixture_{k:D3}",
                        DeliveryId = d.Id,
                        MessageId = d.MessageId,
                        SubscriptionId = d.SubscriptionId,
                        TenantId = d.TenantId,
                        AttemptNumber = 1,
                        Url = "https://fixture.example/hooks",
                        StartedAt = time.GetUtcNow(),
                        Duration = TimeSpan.FromMilliseconds(3 + k),
                        Succeeded = status == WebhookDeliveryStatus.Succeeded,
                        StatusCode = code,
                        ResponseHeaders = new Dictionary<string, string> { ["content-type"] = "text/plain" },
                        ResponseExcerpt = code == 204 ? null : "unavailable",
                        RemoteAddress = "127.0.0.1",
                    },
                });
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
