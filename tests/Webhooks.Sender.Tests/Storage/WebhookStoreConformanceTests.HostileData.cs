using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Storage;

/// <summary>
/// An endpoint's answer is hostile data: whatever its body, headers or reason phrase hold, the outcome is recorded,
/// counted and scheduled. A store may replace what a column cannot hold (U+0000, lone surrogates), never refuse it.
/// </summary>
public abstract partial class WebhookStoreConformanceTests
{
    private const string HostileExcerpt = "ok\0";

    [Fact]
    public async Task Complete_AResponseWithNulCharactersAndLoneSurrogates_RecordsTheAttemptAndSucceeds()
    {
        var store = await CreateStoreAsync(Time);
        await EnqueueOneAsync(store, "sub_a");
        var claim = (await store.ClaimAsync(Claim(1))).Single();
        var completion = Success(claim) with { Attempt = Hostile(NewAttempt(claim, 200, WebhookAttemptError.None)) };

        (await store.CompleteAsync(completion)).Should().Be(WebhookCompletionResult.Completed);

        var d = await store.GetDeliveryAsync(claim.Delivery.Id);
        d!.Status.Should().Be(WebhookDeliveryStatus.Succeeded);
        d.AttemptCount.Should().Be(1);
        d.LastStatusCode.Should().Be(200);
        var attempt = (await store.ListAttemptsAsync(new() { DeliveryId = d.Id })).Items.Should().ContainSingle().Subject;
        attempt.Id.Should().Be(completion.Attempt!.Id);
        attempt.StatusCode.Should().Be(200);
        ShouldKeepTheShapeOfTheHostileText(attempt);
        (await store.ClaimAsync(Claim(1))).Should().BeEmpty("a recorded success is never sent again");
    }

    [Fact]
    public async Task CompleteMany_AHostileResponseAmongOthers_RecordsEveryOutcome()
    {
        var store = await CreateStoreAsync(Time);
        var claims = await EnqueueAndClaimAsync(store, 3);
        var retryAt = Time.GetUtcNow().AddMinutes(5);
        var hostileRetry = Retry(claims[1], retryAt);
        hostileRetry = hostileRetry with { Attempt = Hostile(hostileRetry.Attempt!) };
        var hostileFailure = Failure(claims[2], "HTTP 500 Internal\0Error");
        hostileFailure = hostileFailure with { Attempt = Hostile(hostileFailure.Attempt!) };

        var results = await store.CompleteManyAsync([Success(claims[0]), hostileRetry, hostileFailure]);

        results.Should().Equal(WebhookCompletionResult.Completed, WebhookCompletionResult.Completed, WebhookCompletionResult.Completed);
        var plain = (await store.ListAttemptsAsync(new() { DeliveryId = claims[0].Delivery.Id })).Items.Should().ContainSingle().Subject;
        plain.ResponseExcerpt.Should().Be("ok", "a clean answer is stored as it came");
        var retried = await store.GetDeliveryAsync(claims[1].Delivery.Id);
        retried!.Status.Should().Be(WebhookDeliveryStatus.Pending);
        retried.AttemptCount.Should().Be(1, "the attempt is counted");
        retried.NextAttemptAt.Should().Be(retryAt, "the retry keeps its schedule");
        ShouldKeepTheShapeOfTheHostileText((await store.ListAttemptsAsync(new() { DeliveryId = claims[1].Delivery.Id })).Items.Single());
        var failed = await store.GetDeliveryAsync(claims[2].Delivery.Id);
        failed!.Status.Should().Be(WebhookDeliveryStatus.Failed);
        failed.FailureReason.Should().StartWith("HTTP 500 Internal").And.EndWith("Error");
        (await store.ClaimAsync(Claim(3))).Should().BeEmpty("the retry is not due before its time");
        Time.Advance(TimeSpan.FromMinutes(5));
        (await store.ClaimAsync(Claim(3))).Should().ContainSingle().Which.Delivery.Id.Should().Be(claims[1].Delivery.Id);
    }

    /// <summary>The attempt with U+0000 in its excerpt, a header name and value and its error message, and a lone surrogate.</summary>
    private static WebhookAttempt Hostile(WebhookAttempt attempt) => attempt with
    {
        ResponseExcerpt = HostileExcerpt,
        ResponseHeaders = new Dictionary<string, string> { ["X-Hostile"] = "a\0b", ["X-Name\0"] = "1", ["X-Surrogate"] = "\uD800x" },
        ErrorMessage = attempt.Succeeded ? null : "HTTP 500 Internal\0Error",
    };

    /// <summary>The stored text may have U+0000 and lone surrogates replaced, one character for one, but nothing else.</summary>
    private static void ShouldKeepTheShapeOfTheHostileText(WebhookAttempt stored)
    {
        stored.ResponseExcerpt.Should().StartWith("ok").And.HaveLength(HostileExcerpt.Length);
        stored.ResponseHeaders.Should().HaveCount(3);
        stored.ResponseHeaders.Should().ContainKey("X-Hostile").WhoseValue.Should().StartWith("a").And.EndWith("b").And.HaveLength(3);
        stored.ResponseHeaders.Should().ContainKey("X-Surrogate").WhoseValue.Should().EndWith("x").And.HaveLength(2);
        stored.ResponseHeaders.Keys.Should().Contain(k => k.StartsWith("X-Name", StringComparison.Ordinal) && k.Length == 7);
        if (!stored.Succeeded)
        {
            stored.ErrorMessage.Should().StartWith("HTTP 500 Internal").And.EndWith("Error");
        }
    }
}
