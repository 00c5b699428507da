using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Webhooks.Sender.Publishing;
using Webhooks.Sender;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Sender.PostgreSql.Tests.Testing;

/// <summary>A full sender in a generic host: <c>AddWebhookSender().UsePostgreSql(...)</c> on a test schema.</summary>
public sealed class PostgresSenderHost : IAsyncDisposable
{
    private readonly IHost _host;

    private PostgresSenderHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IWebhookPublisher Publisher => Services.GetRequiredService<IWebhookPublisher>();

    public IWebhookSubscriptions Subscriptions => Services.GetRequiredService<IWebhookSubscriptions>();

    public PostgreSqlWebhookStore Store => Services.GetRequiredService<PostgreSqlWebhookStore>();

    public static async Task<PostgresSenderHost> StartAsync(string schema, Action<WebhookSenderOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services
            .AddWebhookSender(o =>
            {
                // The receiver is a Kestrel server on loopback over plain HTTP.
                o.Ssrf.AllowedNetworks.Add("127.0.0.0/8");
                o.Ssrf.RequireHttps = false;
                o.PollInterval = TimeSpan.FromMilliseconds(250);
                o.MaxConcurrentAttemptsPerEndpoint = 16;
                o.RetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)];
                configure?.Invoke(o);
            })
            .UsePostgreSql(o =>
            {
                o.DataSource = PostgresTestDatabase.DataSource;
                o.Schema = schema;
            });
        var host = builder.Build();
        await host.StartAsync();
        return new PostgresSenderHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
    }
}
