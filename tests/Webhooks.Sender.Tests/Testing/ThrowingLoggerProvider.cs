using Microsoft.Extensions.Logging;

namespace Webhooks.Sender.Tests.Testing;

/// <summary>A logging provider whose loggers throw on every call, for categories starting with the given prefix.</summary>
internal sealed class ThrowingLoggerProvider(string categoryPrefix) : ILoggerProvider
{
    private int _thrown;

    /// <summary>Gets how many log calls threw.</summary>
    public int Thrown => Volatile.Read(ref _thrown);

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(categoryPrefix, StringComparison.Ordinal) ? new ThrowingLogger(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class ThrowingLogger(ThrowingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Interlocked.Increment(ref owner._thrown);
            throw new InvalidOperationException("The logging provider failed.");
        }
    }
}
