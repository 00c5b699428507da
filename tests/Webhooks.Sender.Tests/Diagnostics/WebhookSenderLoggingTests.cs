using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Webhooks.Core;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Diagnostics;

public sealed class WebhookSenderLoggingTests
{
    [Fact]
    public async Task Logs_OfAWholeLifeCycle_NeverContainASecret()
    {
        await using var h = await SenderHarness.StartAsync(
            o => o.RetryDelays = [TimeSpan.FromSeconds(1)],
            s => s.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true).AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)));
        var logs = h.Services.GetRequiredService<FakeLogCollector>();
        var sub = await h.SubscribeAsync("a");
        var rotatedTo = WebhookSecret.Generate();
        await h.Subscriptions.RotateSecretAsync(sub.Id, rotatedTo);
        h.Endpoint("a").Answer(HttpStatusCode.InternalServerError, HttpStatusCode.Gone);

        await h.Publisher.PublishAsync(new OrderCreated(1));
        await h.Store.NextCompletionAsync();
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Store.NextCompletionAsync();
        await h.Dispatcher.StopAsync(CancellationToken.None);

        var records = logs.GetSnapshot();
        records.Select(r => r.Id.Id).Should().Contain([1100, 1104, 1200, 1304, 1306]);
        foreach (var secret in new[] { sub.Secrets[0].Secret, rotatedTo })
        {
            var encoded = secret.RevealEncoded();
            var key = encoded[WebhookSecret.Prefix.Length..];
            records.Should().NotContain(r => r.Message.Contains(key, StringComparison.Ordinal)
                || (r.Exception != null && r.Exception.ToString().Contains(key, StringComparison.Ordinal)));
        }
    }
}
