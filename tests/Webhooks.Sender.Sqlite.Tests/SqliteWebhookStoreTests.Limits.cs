using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Sqlite.Tests;

/// <summary>Caps per subscription and retry aging inside the claim, releases in one transaction, outcomes whose data SQLite refuses.</summary>
public sealed partial class SqliteWebhookStoreTests
{
    [Fact]
    public async Task Claim_WithCapsPerSubscription_TakesAtMostEachCapAndLeavesTheRestPending()
    {
        var store = Open();
        await EnqueueEachAsync(store, "sub_a", 10);
        await EnqueueEachAsync(store, "sub_b", 3);
        await EnqueueEachAsync(store, "sub_c", 3);

        var claims = await store.ClaimAsync(Claim(10) with { MaxPerSubscription = 2, SubscriptionCapacity = new Dictionary<string, int> { ["sub_b"] = 0, ["sub_c"] = 3 } });

        claims.Select(c => c.Delivery.SubscriptionId).Should().Equal("sub_a", "sub_a", "sub_c", "sub_c", "sub_c");
        (await store.ListDeliveriesAsync(new() { Status = WebhookDeliveryStatus.Pending, Limit = 100 })).Items.Should().HaveCount(11);
    }

    [Fact]
    public async Task Claim_WithRetryAging_TakesARetryDueLongerThanTheThresholdBeforeNewerFirstAttempts()
    {
        var store = Open();
        await EnqueueEachAsync(store, "sub_r", 1);
        var retry = (await store.ClaimAsync(Claim(1))).Single();
        await store.CompleteAsync(Succeeded(retry, "busy") with { Status = WebhookDeliveryStatus.Pending, NextAttemptAt = Time.GetUtcNow() });
        Time.Advance(TimeSpan.FromMinutes(10));
        await EnqueueEachAsync(store, "sub_f", 3);

        var withoutAging = await store.ClaimAsync(Claim(1));
        var aged = await store.ClaimAsync(Claim(1) with { RetryAgingThreshold = TimeSpan.FromMinutes(5) });

        withoutAging.Should().ContainSingle().Which.Delivery.SubscriptionId.Should().Be("sub_f");
        aged.Should().ContainSingle().Which.Delivery.Id.Should().Be(retry.Delivery.Id);
    }

    [Fact]
    public async Task ReleaseMany_ReleasesEveryDeliveryStillHeld()
    {
        var store = Open();
        await EnqueueEachAsync(store, "sub_a", 3);
        var claims = await store.ClaimAsync(Claim(3));
        var later = Time.GetUtcNow().AddMinutes(1);

        var released = await store.ReleaseManyAsync([
            new(claims[0].Delivery.Id, claims[0].Delivery.LeaseId!),
            new(claims[1].Delivery.Id, claims[1].Delivery.LeaseId!, later),
            new(claims[2].Delivery.Id, "not-the-lease"),
        ]);

        released.Should().Be(2);
        (await store.GetDeliveryAsync(claims[0].Delivery.Id))!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        (await store.GetDeliveryAsync(claims[1].Delivery.Id))!.NextAttemptAt.Should().Be(later);
        (await store.GetDeliveryAsync(claims[2].Delivery.Id))!.Status.Should().Be(WebhookDeliveryStatus.InFlight);
    }

    [Fact]
    public async Task CompleteMany_WhenSqliteRefusesOneAttemptsData_StoresItWithoutTheResponseAndKeepsTheOthers()
    {
        var store = Open();
        await EnqueueEachAsync(store, "sub_a", 2);
        var claims = await store.ClaimAsync(Claim(2));
        using (var connection = _database.Open())
        using (var trigger = connection.CreateCommand())
        {
            // A constraint that refuses some excerpts, as SQLite refuses a value over its size limit.
            trigger.CommandText = "CREATE TRIGGER refuse_poison BEFORE INSERT ON attempts WHEN NEW.response_excerpt LIKE 'poison%' BEGIN SELECT RAISE(ABORT, 'refused'); END;";
            trigger.ExecuteNonQuery();
        }

        var results = await store.CompleteManyAsync([Succeeded(claims[0], "poison"), Succeeded(claims[1], "fine")]);

        results.Should().Equal(WebhookCompletionResult.Completed, WebhookCompletionResult.Completed);
        var reduced = (await store.ListAttemptsAsync(new() { DeliveryId = claims[0].Delivery.Id })).Items.Should().ContainSingle().Subject;
        reduced.StatusCode.Should().Be(200);
        reduced.ResponseExcerpt.Should().BeNull();
        reduced.ResponseHeaders.Should().BeEmpty();
        reduced.ErrorMessage.Should().Contain("not stored");
        (await store.GetDeliveryAsync(claims[0].Delivery.Id))!.AttemptCount.Should().Be(1);
        (await store.ListAttemptsAsync(new() { DeliveryId = claims[1].Delivery.Id })).Items.Should().ContainSingle().Which.ResponseExcerpt.Should().Be("fine");
    }

    [Fact]
    public async Task Complete_ANulCharacterInTheExcerpt_IsStoredReplaced()
    {
        var store = Open();
        await EnqueueEachAsync(store, "sub_a", 1);
        var claim = (await store.ClaimAsync(Claim(1))).Single();

        await store.CompleteAsync(Succeeded(claim, "ok\0"));

        (await store.ListAttemptsAsync(new() { DeliveryId = claim.Delivery.Id })).Items.Single().ResponseExcerpt.Should().Be("ok\uFFFD");
        using var connection = _database.Open();
        using var raw = connection.CreateCommand();
        raw.CommandText = "SELECT count(*) FROM attempts WHERE instr(response_excerpt, char(0)) > 0";
        ((long)raw.ExecuteScalar()!).Should().Be(0);
    }

    private static WebhookClaimRequest Claim(int max) => new() { LeaseOwner = "w", MaxCount = max, LeaseDuration = TimeSpan.FromMinutes(1) };

    private async Task EnqueueEachAsync(SqliteWebhookStore store, string subscriptionId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var message = NewMessage();
            await store.EnqueueAsync(message, [NewDelivery(message, subscriptionId)]);
        }
    }

    private WebhookDeliveryCompletion Succeeded(WebhookDeliveryClaim claim, string excerpt) => new()
    {
        DeliveryId = claim.Delivery.Id,
        LeaseId = claim.Delivery.LeaseId!,
        Status = WebhookDeliveryStatus.Succeeded,
        Attempt = new WebhookAttempt
        {
            Id = "atm_" + claim.Delivery.Id,
            DeliveryId = claim.Delivery.Id,
            MessageId = claim.Message.Id,
            SubscriptionId = claim.Delivery.SubscriptionId,
            AttemptNumber = claim.Delivery.AttemptCount + 1,
            Url = "https://example.com/hooks",
            StartedAt = Time.GetUtcNow(),
            Succeeded = true,
            StatusCode = 200,
            ResponseHeaders = new Dictionary<string, string> { ["X-A"] = "1" },
            ResponseExcerpt = excerpt,
        },
    };
}
