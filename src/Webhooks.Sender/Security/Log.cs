using System.Net;
using Microsoft.Extensions.Logging;

namespace Webhooks.Sender.Security;

/// <summary>Source-generated logs of the security area; event ids 3000-3099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, EventName = "SsrfBlocked", Level = LogLevel.Warning,
        Message = "Webhook endpoint {Endpoint} is refused by the SSRF policy: {Host} resolves to {Address}, {Category}. "
            + "Deliveries to it fail as blocked by policy and retry; further refusals for this endpoint are not logged. "
            + "If it is meant to be internal, allow it with WebhookSsrfOptions.AllowedNetworks or AllowedHosts.")]
    public static partial void SsrfBlocked(ILogger logger, string endpoint, string host, IPAddress address, string category);

    [LoggerMessage(EventId = 3001, EventName = "SsrfBlockedLogReset", Level = LogLevel.Information,
        Message = "More than {Capacity} endpoints were refused by the SSRF policy; the once-per-endpoint log memory was reset, so refused endpoints are logged once more.")]
    public static partial void SsrfBlockedLogReset(ILogger logger, int capacity);
}
