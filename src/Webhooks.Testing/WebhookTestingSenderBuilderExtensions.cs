using Webhooks.Sender;

namespace Webhooks.Testing;

/// <summary>Sender settings for tests.</summary>
public static class WebhookTestingSenderBuilderExtensions
{
    /// <summary>
    /// Lets the sender deliver to 127.0.0.0/8 and ::1 over plain http, as a <see cref="WebhookTestEndpoint"/> needs. The
    /// SSRF guard refuses both by default; never call this outside tests. Equivalent to
    /// <c>o.Ssrf.AllowedNetworks.Add("127.0.0.0/8"); o.Ssrf.AllowedNetworks.Add("::1/128"); o.Ssrf.RequireHttps = false;</c>.
    /// </summary>
    /// <param name="builder">The sender builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhookSenderBuilder AllowLoopbackForTesting(this IWebhookSenderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Configure(static o =>
        {
            o.Ssrf.AllowedNetworks.Add("127.0.0.0/8");
            o.Ssrf.AllowedNetworks.Add("::1/128");
            o.Ssrf.RequireHttps = false;
        });
    }
}
