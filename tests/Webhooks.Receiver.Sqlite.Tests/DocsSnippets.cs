using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Core;

namespace Webhooks.Receiver.Sqlite.Tests;

/// <summary>The code of docs/inbox.md: each region is quoted there verbatim (DocsSnippetsTests checks it) and run by the tests.</summary>
internal static class DocsSnippets
{
    public static void AddServices(WebApplicationBuilder builder)
    {
        // #region QuickStart
        builder.Services.AddWebhookReceiver(o => o.Secrets.Add(builder.Configuration["Webhooks:Secret"]!))
            .AddHandler<OrderCreated, OrderCreatedHandler>()
            .UseInbox(o =>
            {
                o.MaxAttempts = 5;
                o.RetryDelays.Add(TimeSpan.FromSeconds(30));
                o.RetryDelays.Add(TimeSpan.FromMinutes(5));
            })
            .UseSqliteInbox(builder.Configuration.GetConnectionString("inbox")!);

        builder.Services.AddHealthChecks().AddWebhookInbox(pendingThreshold: TimeSpan.FromMinutes(2));
        // #endregion QuickStart
    }

    public static void Map(WebApplication app)
    {
        // #region Map
        app.MapWebhookReceiver("/webhooks");
        app.MapHealthChecks("/healthz");
        // #endregion Map
    }

    public static void AddPostgreSql(WebApplicationBuilder builder)
    {
        // #region PostgreSql
        builder.Services.AddWebhookReceiver("github", o => o.UseGitHub(builder.Configuration["GitHub:WebhookSecret"]!))
            .AddHandler<PullRequestEvent, PullRequestHandler>("pull_request")
            .UseInbox(builder.Configuration.GetSection("Webhooks:Inbox:GitHub"))
            .UsePostgreSqlInbox(builder.Configuration.GetConnectionString("webhooks")!);
        // #endregion PostgreSql
    }

    public static async Task<long> ReplayAsync(IServiceProvider services)
    {
        // #region Operate
        var inbox = services.GetRequiredService<IWebhookInbox>();

        // What failed for good, oldest first, a page at a time.
        var dead = await inbox.ListAsync(new WebhookInboxQuery { State = WebhookInboxState.Dead, Limit = 100 });
        foreach (var item in dead.Items)
        {
            Console.WriteLine($"{item.Id} {item.MessageId} {item.EventType}: {item.LastError}");
        }

        // The downstream service is back: run again everything that died in the last day.
        var replayed = await inbox.ReplayDeadAsync(since: DateTimeOffset.UtcNow.AddDays(-1));
        // #endregion Operate
        return replayed;
    }
}

/// <summary>The order event of the snippets.</summary>
[WebhookEvent("order.created")]
public sealed record OrderCreated(int OrderId);

/// <summary>Records the orders it handled.</summary>
public sealed class OrderCreatedHandler(OrderLog log) : IWebhookHandler<OrderCreated>
{
    public Task HandleAsync(WebhookContext<OrderCreated> context, CancellationToken cancellationToken) => log.AddAsync(context.Data.OrderId);
}

/// <summary>What the snippets' handler saw.</summary>
public sealed class OrderLog
{
    private readonly TaskCompletionSource<int> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<int> First => _first.Task;

    public Task AddAsync(int orderId)
    {
        _first.TrySetResult(orderId);
        return Task.CompletedTask;
    }
}

/// <summary>A GitHub pull_request payload (only what the snippet needs).</summary>
public sealed record PullRequestEvent(string Action, int Number);

/// <summary>Does nothing; the PostgreSQL snippet is registered, not run.</summary>
public sealed class PullRequestHandler : IWebhookHandler<PullRequestEvent>
{
    public Task HandleAsync(WebhookContext<PullRequestEvent> context, CancellationToken cancellationToken) => Task.CompletedTask;
}
