using Webhooks.Core;
using Webhooks.Receiver;

namespace Webhooks.Samples.Receiver;

/// <summary>The receiver sample: <c>AddWebhookReceiver</c>, typed handlers and <c>MapWebhookReceiver</c>.</summary>
internal static partial class ReceiverApp
{
    /// <summary>Builds the app; <paramref name="configure"/> lets a test swap the server or settings.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var secret = builder.Configuration["Webhooks:Receiver:Secret"];
        var generated = secret is null;
        secret ??= WebhookSecret.Generate().RevealEncoded();

        builder.Services.AddWebhookReceiver(o => o.Secrets.Add(secret))
            .AddHandler<OrderCreated, OrderCreatedHandler>()
            .AddHandler<InvoicePaid, InvoicePaidHandler>()
            .AddFallbackHandler<AnyEventHandler>();

        var app = builder.Build();
        app.MapWebhookReceiver("/webhooks");
        if (generated)
        {
            // A sample convenience: a real receiver takes the sender's secret from configuration and never logs it.
            LogGeneratedSecret(app.Logger, secret);
        }

        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Webhooks:Receiver:Secret configured; using a new one for this run: {Secret}")]
    private static partial void LogGeneratedSecret(ILogger logger, string secret);
}
