using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Core;
using Webhooks.Sender.Health;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Health;

/// <summary>The endpoint health snippet of docs/sending.md, compiled and run.</summary>
public class ReadmeEndpointHealthSnippetTests
{
    public interface IEndpointOwnerNotifier
    {
        ValueTask NotifyAsync(string? tenantId, Uri url, string reason, CancellationToken cancellationToken);
    }

    [Fact]
    public async Task Snippet_ConfiguresTheOptionsAndTheCallbackReachesTheAppsService()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var notifier = new RecordingNotifier();
        builder.Services.AddSingleton<IEndpointOwnerNotifier>(notifier);

        // docs/sending.md: Endpoint health (begin)
        builder.Services.AddWebhookSender(o =>
        {
            o.EndpointHealth.DisableAfter = TimeSpan.FromDays(3);
            o.EndpointHealth.DefaultRateLimitPerSecond = 50;
        });

        // The callback can use the app's own services: configure it with a dependency from DI.
        builder.Services.AddOptions<WebhookSenderOptions>()
            .Configure<IEndpointOwnerNotifier>((o, notifier) => o.EndpointHealth.OnSubscriptionDisabled = args =>
                notifier.NotifyAsync(args.Subscription.TenantId, args.Subscription.Url, args.Subscription.DisabledReason!, args.CancellationToken));
        // docs/sending.md: Endpoint health (end)

        await using var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptions<WebhookSenderOptions>>().Value.EndpointHealth;
        var subscription = new WebhookSubscription { Id = "sub_1", TenantId = "acme", Url = new Uri("https://hooks.example/a"), Enabled = false, DisabledReason = "gone" };
        await options.OnSubscriptionDisabled!(new WebhookSubscriptionDisabledArguments(subscription, WebhookSubscriptionDisabledReason.EndpointGone, null, DateTimeOffset.UnixEpoch, CancellationToken.None));

        options.DisableAfter.Should().Be(TimeSpan.FromDays(3));
        options.DefaultRateLimitPerSecond.Should().Be(50);
        notifier.Calls.Should().Equal(("acme", new Uri("https://hooks.example/a"), "gone"));
    }

    private sealed class RecordingNotifier : IEndpointOwnerNotifier
    {
        public List<(string?, Uri, string)> Calls { get; } = [];

        public ValueTask NotifyAsync(string? tenantId, Uri url, string reason, CancellationToken cancellationToken)
        {
            Calls.Add((tenantId, url, reason));
            return ValueTask.CompletedTask;
        }
    }
}
