using Microsoft.Extensions.Logging;

namespace Webhooks.Sender.Delivery;

/// <summary>
/// The dispatcher's logger: a logging provider that throws (Microsoft.Extensions.Logging re-throws what its providers
/// throw) must not stop a background loop, skip storing an outcome or wedge shutdown. A failed log call is dropped:
/// there is nowhere left to report it.
/// </summary>
internal sealed class GuardedLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        try
        {
            return inner.BeginScope(state);
        }
        catch (Exception)
        {
            return null;
        }
    }

    public bool IsEnabled(LogLevel logLevel)
    {
        try
        {
            return inner.IsEnabled(logLevel);
        }
        catch (Exception)
        {
            return false;
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
        catch (Exception)
        {
            // Dropped: see the type's remarks.
        }
    }
}
