using System.Net;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Core;

namespace Webhooks.Testing.Tests;

public sealed class WebhookTestEndpointTests
{
    [Fact]
    public async Task StartAsync_ListensOnLoopback_AndVerifiesSignedRequests()
    {
        await using var endpoint = await WebhookTestEndpoint.StartAsync();
        using var client = new HttpClient();
        var signer = WebhookTestSigner.StandardWebhooks(endpoint.Secret);

        using var good = await client.PostWebhookAsync(endpoint.Url.ToString(), new OrderCreated(1), signer.WithMessageId("msg_a"));
        using var bad = await client.PostWebhookAsync(endpoint.Url.ToString(), new OrderCreated(2), signer.WithWrongSignature().WithMessageId("msg_b"));

        endpoint.BaseAddress.Host.Should().Be("127.0.0.1");
        good.StatusCode.Should().Be(HttpStatusCode.OK);
        bad.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var deliveries = await endpoint.WaitForDeliveriesAsync(2, TestData.Timeout());
        deliveries.Select(d => (d.MessageId, d.Verified, d.StatusCode, d.EventType)).Should().Equal(
            ("msg_a", true, 200, "order.created"),
            ("msg_b", false, 401, "order.created"));
        deliveries[1].Verification.Should().Be(WebhookVerificationStatus.NoMatchingSignature);
    }

    [Fact]
    public async Task FailFirst_FailsEachMessagesFirstAttempts_ThenAnswers200()
    {
        await using var endpoint = await WebhookTestEndpoint.StartAsync();
        endpoint.FailFirst(2, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(7));
        using var client = new HttpClient();
        var signer = WebhookTestSigner.StandardWebhooks(endpoint.Secret);

        var statuses = new List<(HttpStatusCode, string?)>();
        foreach (var id in new[] { "msg_1", "msg_1", "msg_2", "msg_1" })
        {
            using var response = await client.PostWebhookAsync(endpoint.Url.ToString(), "{}", signer.WithMessageId(id));
            statuses.Add((response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        statuses.Should().Equal(
            (HttpStatusCode.ServiceUnavailable, "7"),
            (HttpStatusCode.ServiceUnavailable, "7"),
            (HttpStatusCode.ServiceUnavailable, "7"),
            (HttpStatusCode.OK, null));
        endpoint.Deliveries.Select(d => d.Attempt).Should().Equal(1, 2, 1, 3);
    }

    [Fact]
    public async Task RespondWith_Gone_AnswersEveryRequest410()
    {
        await using var endpoint = await WebhookTestEndpoint.StartAsync();
        endpoint.RespondWith(HttpStatusCode.Gone);
        using var client = new HttpClient();

        using var response = await client.PostWebhookAsync(endpoint.Url.ToString(), "{}", WebhookTestSigner.StandardWebhooks(endpoint.Secret));

        response.StatusCode.Should().Be(HttpStatusCode.Gone);
        endpoint.ResetScript();
        using var after = await client.PostWebhookAsync(endpoint.Url.ToString(), "{}", WebhookTestSigner.StandardWebhooks(endpoint.Secret));
        after.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DelayAnswers_OnAFakeClock_HoldsTheAnswerUntilTimeMoves()
    {
        var time = new ArmedTimeProvider(TestData.Start);
        await using var endpoint = await WebhookTestEndpoint.StartAsync(new() { TimeProvider = time });
        endpoint.DelayAnswers(TimeSpan.FromSeconds(30));
        using var client = new HttpClient();

        var sending = client.PostWebhookAsync(endpoint.Url.ToString(), "{}", WebhookTestSigner.StandardWebhooks(endpoint.Secret).WithTimeProvider(time));
        var arrived = endpoint.WaitForDeliveriesAsync(1, TestData.Timeout());

        await time.TimerCreated.Task.WaitAsync(TestData.Timeout());
        arrived.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(30));
        using var response = await sending;
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await arrived).Single().ReceivedAt.Should().Be(TestData.Start);
    }

    [Fact]
    public async Task Trust_AcceptsAnotherSecret_AndTheGivenSecretsAreUsed()
    {
        var given = WebhookSecret.Generate();
        var rotated = WebhookSecret.Generate();
        await using var endpoint = await WebhookTestEndpoint.StartAsync(new() { Secrets = { given } });
        using var client = new HttpClient();

        using var before = await client.PostWebhookAsync(endpoint.Url.ToString(), "{}", WebhookTestSigner.StandardWebhooks(rotated));
        endpoint.Trust(rotated);
        using var after = await client.PostWebhookAsync(endpoint.Url.ToString(), "{}", WebhookTestSigner.StandardWebhooks(rotated));

        endpoint.Secret.Should().BeSameAs(given);
        before.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        after.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OversizedBody_IsAnswered413_AndRecorded()
    {
        await using var endpoint = await WebhookTestEndpoint.StartAsync(new() { MaxBodySize = 16 });
        using var client = new HttpClient();

        using var response = await client.PostWebhookAsync(endpoint.Url.ToString(), new string('x', 100), WebhookTestSigner.StandardWebhooks(endpoint.Secret));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        endpoint.Deliveries.Should().ContainSingle().Which.Body.Should().BeEmpty();
    }

    [Fact]
    public async Task StartAsync_InvalidOption_NamesIt()
    {
        var act = () => WebhookTestEndpoint.StartAsync(new() { MaxBodySize = 0 });

        (await act.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithParameterName("options.MaxBodySize");
    }

    [Fact]
    public async Task TrustForAPath_VerifiesThatPathWithItsOwnSecretsOnly()
    {
        var a = WebhookSecret.Generate();
        var b = WebhookSecret.Generate();
        await using var endpoint = await WebhookTestEndpoint.StartAsync();
        endpoint.Trust(a, "/hooks/a");
        endpoint.Trust(b, "hooks/b");
        using var client = new HttpClient();

        using var right = await client.PostWebhookAsync(endpoint.UrlFor("/hooks/a").ToString(), "{}", WebhookTestSigner.StandardWebhooks(a));
        using var crossed = await client.PostWebhookAsync(endpoint.UrlFor("/hooks/b").ToString(), "{}", WebhookTestSigner.StandardWebhooks(a));
        using var endpointSecret = await client.PostWebhookAsync(endpoint.UrlFor("/hooks/a").ToString(), "{}", WebhookTestSigner.StandardWebhooks(endpoint.Secret));

        right.StatusCode.Should().Be(HttpStatusCode.OK);
        crossed.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        endpointSecret.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RespondWith_Responder_HoldsARequestUntilReleased_AndCountsItAsReceived()
    {
        await using var endpoint = await WebhookTestEndpoint.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        endpoint.RespondWith(async a =>
        {
            await release.Task.WaitAsync(a.CancellationToken);
            return a.Path == "/slow" ? 202 : 204;
        });
        using var client = new HttpClient();

        var sending = client.PostWebhookAsync(endpoint.UrlFor("/slow").ToString(), "{}", WebhookTestSigner.StandardWebhooks(endpoint.Secret));
        await endpoint.WaitUntilAsync(_ => endpoint.Received == 1, TestData.Timeout());
        endpoint.Deliveries.Should().BeEmpty();
        release.SetResult();
        using var response = await sending;

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await endpoint.WaitForDeliveriesAsync(1, TestData.Timeout())).Single().StatusCode.Should().Be(202);
    }

    [Fact]
    public async Task RespondWith_Redirect_CarriesALocationOnTheEndpoint()
    {
        await using var endpoint = await WebhookTestEndpoint.StartAsync();
        endpoint.RespondWith(HttpStatusCode.TemporaryRedirect);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler);

        using var response = await client.PostWebhookAsync(endpoint.Url.ToString(), "{}", WebhookTestSigner.StandardWebhooks(endpoint.Secret));

        response.StatusCode.Should().Be(HttpStatusCode.TemporaryRedirect);
        response.Headers.Location.Should().Be(endpoint.UrlFor("/redirected"));
    }

    /// <summary>A fake clock that says when a timer is created (the endpoint's delay), so the test advances only then.</summary>
    private sealed class ArmedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public TaskCompletionSource TimerCreated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            TimerCreated.TrySetResult();
            return timer;
        }
    }
}
