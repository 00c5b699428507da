using Microsoft.Extensions.Logging;

namespace Webhooks.Dashboard.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Webhook dashboard refused a request from {RemoteAddress}: it answers local requests only until authorization is configured.")]
    public static partial void RemoteRefused(ILogger logger, string? remoteAddress);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Webhook portal refused a request to {Path}: no tenant was resolved.")]
    public static partial void NoTenant(ILogger logger, string path);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Webhook dashboard rejected a form posted to {Path}: the antiforgery token is missing or not valid.")]
    public static partial void AntiforgeryRejected(ILogger logger, string path);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Webhook dashboard: {Action} on {Target}.")]
    public static partial void Action(ILogger logger, string action, string target);
}
