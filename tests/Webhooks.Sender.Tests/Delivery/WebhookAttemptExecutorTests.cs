using System.Net;
using Webhooks.Sender.Storage;
using Webhooks.Sender;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Delivery;

/// <summary>The attempt as the executor builds it from an endpoint's answer.</summary>
public sealed class WebhookAttemptExecutorTests
{
    [Fact]
    public async Task Attempt_AnswerWithNulCharacters_IsRecordedWithThemReplaced()
    {
        await using var h = await SenderHarness.StartAsync();
        await h.SubscribeAsync("a");
        h.Endpoint("a").Responder = (_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new ByteArrayContent("busy\0"u8.ToArray()) };
            response.Headers.TryAddWithoutValidation("X-Hostile", "a\0b");
            return Task.FromResult(response);
        };

        await h.Publisher.PublishAsync(new OrderCreated(1));
        var attempt = (await h.Store.NextCompletionAsync()).Attempt!;

        attempt.ResponseExcerpt.Should().Be("busy\uFFFD");
        attempt.ResponseHeaders.Should().Contain("X-Hostile", "a\uFFFDb");
        attempt.StatusCode.Should().Be(502);
    }
}
