using Microsoft.Extensions.Logging;

namespace Webhooks.Management.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Webhook management request to {Path} refused: the scope resolver found no access for it.")]
    public static partial void ScopeDenied(ILogger logger, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Webhook management request to {Path} refused: the value of {Parameter} is not valid.")]
    public static partial void InputRefused(ILogger logger, string path, string? parameter);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Webhook management: {Action} on {Target} ({Scope}).")]
    public static partial void Action(ILogger logger, string action, string target, string scope);
}
