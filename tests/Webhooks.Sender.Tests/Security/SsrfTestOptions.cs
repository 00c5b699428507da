using Webhooks.Sender.Security;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Security;

internal static class SsrfTestOptions
{
    public static WebhookSsrfOptions Create(string[]? networks = null, string[]? hosts = null)
    {
        var options = new WebhookSsrfOptions();
        foreach (var network in networks ?? [])
        {
            options.AllowedNetworks.Add(network);
        }

        foreach (var host in hosts ?? [])
        {
            options.AllowedHosts.Add(host);
        }

        return options;
    }
}
