using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Yamnet.Logging;

/// <summary>
/// Wraps a host's logger so that nothing it throws reaches the library's code paths: a failing
/// log sink must not fail a model load or a session, nor leak what the library was cleaning up.
/// The library only ever logs after a native call has returned and with no global lock held.
/// </summary>
internal sealed class ContainedLogger(ILogger inner) : ILogger
{
    internal static ILogger Create(ILoggerFactory? factory, string category)
    {
        if (factory is null) return NullLogger.Instance;
        try
        {
            return new ContainedLogger(factory.CreateLogger(category));
        }
        catch (Exception)
        {
            return NullLogger.Instance;
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull
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
            // Contained: the host's sink failed; the library's work goes on.
        }
    }
}
