using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Sender.Security;
using Webhooks.Sender;

namespace Webhooks.Sender.Subscriptions;

/// <summary>
/// Checks subscription URLs with the URL policy of <see cref="WebhookSenderOptions.Ssrf"/>: absolute http(s), no
/// credentials or fragment, https when required, and no IP literal or <c>localhost</c> that the SSRF policy refuses.
/// </summary>
internal sealed class SubscriptionUrlValidator : ISubscriptionUrlValidator
{
    private readonly SsrfPolicy _policy;
    private readonly bool _requireHttps;

    public SubscriptionUrlValidator(IOptions<WebhookSenderOptions> options, IHostEnvironment? environment = null)
    {
        var ssrf = options.Value.Ssrf;
        _policy = SsrfPolicy.Create(ssrf);
        _requireHttps = SsrfGuard.IsHttpsRequired(ssrf, environment);
    }

    public bool TryValidate(Uri url, out string? error)
    {
        var result = WebhookUrlValidator.Validate(url, _policy, _requireHttps);
        error = result.Message;
        return result.IsValid;
    }
}
